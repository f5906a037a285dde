// Package kubernetes holds the tests of the manifests beside it. It is a
// module of its own so that the Kubernetes packages its tests decode with
// (k8s.io/api, kustomize) are compiled for them alone, not for every test
// of pamps; ./test.sh runs them.
package kubernetes
