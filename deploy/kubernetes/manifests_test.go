package kubernetes_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pamps/pamps"
	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/server/api"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

const manifests = "."

// strict decodes a manifest into the Kubernetes project's own type:
// a field that type does not have is an error.
func strict[T any](t *testing.T, name string) *T {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(manifests, name))
	if err != nil {
		t.Fatal(err)
	}
	v := new(T)
	if err := yaml.UnmarshalStrict(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// TestKubernetesManifestsMatchTheProgram: every resource the kustomization
// lists decodes strictly, and what the manifests say agrees with pamps:
// probe paths are routes, ports are the settings', every PAMPS_ variable is
// a setting, the pods run as the image's non-root user with a read-only
// root and no capabilities, and the grace period outlasts the drain.
func TestKubernetesManifestsMatchTheProgram(t *testing.T) {
	var kust struct {
		APIVersion string   `json:"apiVersion"`
		Kind       string   `json:"kind"`
		Resources  []string `json:"resources"`
		Components []string `json:"components"`
	}
	b, _ := os.ReadFile(filepath.Join(manifests, "kustomization.yaml"))
	if err := yaml.UnmarshalStrict(b, &kust); err != nil || kust.Kind != "Kustomization" {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	kinds := map[string]func(string){
		"configmap.yaml":     func(n string) { strict[corev1.ConfigMap](t, n) },
		"secret.yaml":        func(n string) { strict[corev1.Secret](t, n) },
		"deployment.yaml":    func(n string) { strict[appsv1.Deployment](t, n) },
		"service.yaml":       func(n string) { strict[corev1.Service](t, n) },
		"pdb.yaml":           func(n string) { strict[policyv1.PodDisruptionBudget](t, n) },
		"hpa.yaml":           func(n string) { strict[autoscalingv2.HorizontalPodAutoscaler](t, n) },
		"networkpolicy.yaml": func(n string) { strict[networkingv1.NetworkPolicy](t, n) },
	}
	for _, r := range kust.Resources {
		decode, ok := kinds[r]
		if !ok {
			t.Fatalf("kustomization lists %s, which this test does not know", r)
		}
		decode(r)
	}
	if len(kust.Resources) != len(kinds) {
		t.Fatalf("kustomization lists %d resources, want %d", len(kust.Resources), len(kinds))
	}

	dep := strict[appsv1.Deployment](t, "deployment.yaml")
	job := strict[batchv1.Job](t, "migrate/job.yaml")
	routes := api.New(nil, api.Options{}).OpenAPI()["paths"].(map[string]any)
	keys := config.Keys()
	// PostgreSQL is reached only from the pods the NetworkPolicy names.
	np := strict[networkingv1.NetworkPolicy](t, "networkpolicy.yaml")
	if len(np.Spec.Ingress) != 1 || len(np.Spec.Ingress[0].From) != 1 || np.Spec.Ingress[0].From[0].PodSelector == nil {
		t.Fatalf("networkpolicy: %+v", np.Spec)
	}
	for k, v := range np.Spec.Ingress[0].From[0].PodSelector.MatchLabels {
		for _, labels := range []map[string]string{dep.Spec.Template.Labels, job.Spec.Template.Labels} {
			if labels[k] != v {
				t.Errorf("a Pamps pod lacks the NetworkPolicy's label %s=%s: %v", k, v, labels)
			}
		}
	}
	// The migration signs no token: it must not hold the secret that signs them.
	for _, e := range job.Spec.Template.Spec.Containers[0].Env {
		if e.Name == "PAMPS_SECURITY__SECRET_KEY" {
			t.Error("the migration Job holds the token secret")
		}
	}
	for _, pod := range []corev1.PodSpec{dep.Spec.Template.Spec, job.Spec.Template.Spec} {
		if a := pod.AutomountServiceAccountToken; a == nil || *a {
			t.Error("a Pamps pod mounts a Kubernetes API token it never uses")
		}
		if sc := pod.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != 65532 {
			t.Errorf("the pod must run as the image's nonroot user (65532): %+v", pod.SecurityContext)
		}
		for _, c := range pod.Containers {
			sc := c.SecurityContext
			if sc == nil || sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem || sc.Capabilities == nil ||
				!slices.Contains(sc.Capabilities.Drop, "ALL") || sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				t.Errorf("%s: read-only root, no capabilities, no escalation: %+v", c.Name, sc)
			}
			if c.Resources.Requests.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
				t.Errorf("%s: requests and limits", c.Name)
			}
			for _, e := range c.Env {
				name, ok := strings.CutPrefix(e.Name, "PAMPS_")
				if !ok || name == "ENV" {
					continue
				}
				key := strings.ToLower(strings.Replace(name, "__", ".", 1))
				if !slices.Contains(keys, key) {
					t.Errorf("%s: %s is no setting (%s)", c.Name, e.Name, key)
				}
			}
			for _, p := range []*corev1.Probe{c.StartupProbe, c.ReadinessProbe, c.LivenessProbe} {
				if p == nil || p.HTTPGet == nil {
					continue
				}
				if _, ok := routes[p.HTTPGet.Path]; !ok {
					t.Errorf("%s: probe path %s is not a route", c.Name, p.HTTPGet.Path)
				}
			}
		}
	}
	c := dep.Spec.Template.Spec.Containers[0]
	if c.ReadinessProbe == nil || c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe == nil || c.LivenessProbe.HTTPGet.Path != "/healthz" || c.StartupProbe == nil {
		t.Error("probes: startup, readiness /readyz, liveness /healthz")
	}
	if *dep.Spec.Replicas != 3 || !slices.Contains(c.Args, "serve") || !slices.Contains(job.Spec.Template.Spec.Containers[0].Args, "migrate") {
		t.Error("3 replicas serving; the Job migrates")
	}
	// The ConfigMap's settings load, with auto_migrate off and the ports the pod opens.
	cm := strict[corev1.ConfigMap](t, "configmap.yaml")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "settings.toml"), []byte(cm.Data["settings.toml"]), 0o600)
	cfg, err := config.Load(config.Options{Defaults: pamps.DefaultTOML, ConfigFile: filepath.Join(dir, "settings.toml"),
		Environ: []string{"PAMPS_ENV=production", "PAMPS_SECURITY__SECRET_KEY=" + "3f9c1e7a5b2d4c8e9a0f6b1d7e3c5a2948f1b6d0c7e2a9f35b8d4e1c6a0f7b29"}})
	if err != nil {
		t.Fatalf("the ConfigMap's settings: %v", err)
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if cfg.DB.AutoMigrate || int32(cfg.Server.Port) != ports["http"] || int32(cfg.Server.SSHPort) != ports["ssh"] || cfg.Server.MetricsAddr != "0.0.0.0:9090" || ports["metrics"] != 9090 {
		t.Errorf("settings vs pod: auto_migrate %v, port %d vs %d, ssh %d vs %d, metrics %q", cfg.DB.AutoMigrate,
			cfg.Server.Port, ports["http"], cfg.Server.SSHPort, ports["ssh"], cfg.Server.MetricsAddr)
	}
	if grace := dep.Spec.Template.Spec.TerminationGracePeriodSeconds; grace == nil || float64(*grace) <= cfg.Server.ShutdownTimeout.Seconds() {
		t.Errorf("termination grace %v must outlast server.shutdown_timeout %s", grace, cfg.Server.ShutdownTimeout)
	}
}
