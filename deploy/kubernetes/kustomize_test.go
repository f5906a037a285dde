package kubernetes_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// TestKustomizationRenders renders the app (deploy/kubernetes) and its
// migration (migrate/) as `kubectl apply -k` would (kustomize's own
// library, in process) and decodes every object strictly into the
// Kubernetes types of its kind: the app has no Job, the migration only it.
func TestKustomizationRenders(t *testing.T) {
	decoders := map[string]func([]byte) error{
		"ConfigMap":               decodeAs[corev1.ConfigMap],
		"Secret":                  decodeAs[corev1.Secret],
		"Job":                     decodeAs[batchv1.Job],
		"Deployment":              decodeAs[appsv1.Deployment],
		"Service":                 decodeAs[corev1.Service],
		"PodDisruptionBudget":     decodeAs[policyv1.PodDisruptionBudget],
		"HorizontalPodAutoscaler": decodeAs[autoscalingv2.HorizontalPodAutoscaler],
		"NetworkPolicy":           decodeAs[networkingv1.NetworkPolicy],
	}
	app := []string{"ConfigMap", "Deployment", "HorizontalPodAutoscaler", "NetworkPolicy", "PodDisruptionBudget", "Secret", "Service"}
	for dir, want := range map[string][]string{manifests: app, filepath.Join(manifests, "migrate"): {"Job"}} {
		var kinds []string
		for _, doc := range render(t, dir) {
			var head struct {
				Kind string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &head); err != nil {
				t.Fatal(err)
			}
			decode, ok := decoders[head.Kind]
			if !ok {
				t.Fatalf("%s renders a %q, which this test does not know", dir, head.Kind)
			}
			if err := decode(doc); err != nil {
				t.Errorf("rendered %s: %v", head.Kind, err)
			}
			kinds = append(kinds, head.Kind)
		}
		slices.Sort(kinds)
		if !slices.Equal(kinds, want) {
			t.Errorf("%s rendered %v, want one each of %v", dir, kinds, want)
		}
	}
}

// render is `kubectl kustomize dir`, one document per object.
func render(t *testing.T, dir string) [][]byte {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out, err := resources.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Split(out, []byte("\n---\n"))
}

func decodeAs[T any](b []byte) error { return yaml.UnmarshalStrict(b, new(T)) }

// TestReadmeDeploysAReleaseAndTheNext follows the README's release steps
// on a copy of the manifests, for a release and the next: the image it
// sets in release/ is the one the migration Job and the Deployment render
// with, and the previous release's Job is deleted before the next is
// applied (a Job's template is immutable: an old one blocked the upgrade).
// The steps used to apply the raw Job, with the image of the file.
func TestReadmeDeploysAReleaseAndTheNext(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "### On Kubernetes")
	section, _, _ = strings.Cut(section, "\n## ")
	setImage := regexp.MustCompile(`\(cd release && kustomize edit set image pamps=(\S+)\)`)
	m := setImage.FindStringSubmatch(section)
	if m == nil {
		t.Fatal("the README's Kubernetes steps do not set the release's image in release/")
	}
	steps := []string{m[0], "kubectl delete job pamps-migrate --ignore-not-found", "kubectl apply -k migrate",
		"kubectl wait --for=condition=complete", "job/pamps-migrate", "kubectl apply -k ."}
	at := 0
	for _, step := range steps {
		i := strings.Index(section[at:], step)
		if i < 0 {
			t.Fatalf("the README's steps lack %q after what comes before it", step)
		}
		at += i + len(step)
	}
	if strings.Contains(section, "migrate-job.yaml") || strings.Contains(section, "kubectl apply -f") {
		t.Error("the README applies a raw manifest, which no image edit reaches")
	}
	for _, image := range []string{m[1], strings.Replace(m[1], ":1.0", ":1.1", 1)} {
		dir := copyManifests(t)
		setReleaseImage(t, filepath.Join(dir, "release", "kustomization.yaml"), image)
		for _, sub := range []string{".", "migrate"} {
			for _, doc := range render(t, filepath.Join(dir, sub)) {
				var obj struct {
					Kind string
					Spec struct {
						Template struct {
							Spec corev1.PodSpec
						}
					}
				}
				if err := yaml.Unmarshal(doc, &obj); err != nil {
					t.Fatal(err)
				}
				if obj.Kind != "Job" && obj.Kind != "Deployment" {
					continue
				}
				if got := obj.Spec.Template.Spec.Containers[0].Image; got != image {
					t.Errorf("release %s: the %s runs %s", image, obj.Kind, got)
				}
			}
		}
	}
}

// setReleaseImage does what `kustomize edit set image pamps=IMAGE` does to
// the release component.
func setReleaseImage(t *testing.T, path, image string) {
	t.Helper()
	name, tag, _ := strings.Cut(image[strings.LastIndex(image, "/")+1:], ":")
	repo := image[:strings.LastIndex(image, "/")+1] + name
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := regexp.MustCompile(`(?m)^    newName: .*\n    newTag: .*$`).ReplaceAll(b, []byte("    newName: "+repo+"\n    newTag: \""+tag+"\""))
	if bytes.Equal(edited, b) {
		t.Fatal("release/kustomization.yaml has no image to set")
	}
	if err := os.WriteFile(path, edited, 0o600); err != nil {
		t.Fatal(err)
	}
}

// copyManifests copies the manifests to a folder of the test's.
func copyManifests(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(manifests, func(path string, d os.DirEntry, err error) error {
		if err != nil || !(d.IsDir() || strings.HasSuffix(path, ".yaml")) {
			return err
		}
		to := filepath.Join(dir, path)
		if d.IsDir() {
			return os.MkdirAll(to, 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
