package kubernetes_test

import (
	"bytes"
	"maps"
	"slices"
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

// TestKustomizationRenders renders deploy/kubernetes as `kubectl apply -k`
// would (kustomize's own library, in process) and decodes every object it
// gives strictly into the Kubernetes types of its kind.
func TestKustomizationRenders(t *testing.T) {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), manifests)
	if err != nil {
		t.Fatalf("kustomize build: %v", err)
	}
	out, err := resources.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
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
	var kinds []string
	for _, doc := range bytes.Split(out, []byte("\n---\n")) {
		var head struct {
			Kind string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &head); err != nil {
			t.Fatal(err)
		}
		decode, ok := decoders[head.Kind]
		if !ok {
			t.Fatalf("the kustomization renders a %q, which this test does not know", head.Kind)
		}
		if err := decode(doc); err != nil {
			t.Errorf("rendered %s: %v", head.Kind, err)
		}
		kinds = append(kinds, head.Kind)
	}
	slices.Sort(kinds)
	if want := slices.Sorted(maps.Keys(decoders)); !slices.Equal(kinds, want) {
		t.Errorf("rendered %v, want one each of %v", kinds, want)
	}
}

func decodeAs[T any](b []byte) error { return yaml.UnmarshalStrict(b, new(T)) }
