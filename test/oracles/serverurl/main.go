// Oracle for input/userinfo.ts: how client-go reads a kubeconfig server URL. Reads a JSON array
// of strings on stdin and prints, for each, the host and userinfo Go finds, with
// rest.DefaultServerURL's rule (k8s.io/client-go/rest/url_utils.go): url.Parse, and when that
// fails or gives no scheme or no host, url.Parse again with "https://" in front.
// Stdlib only: go run ./test/oracles/serverurl < cases.json
package main

import (
	"encoding/json"
	"net/url"
	"os"
)

type result struct {
	Host    string `json:"host"`
	User    string `json:"user"`
	HasUser bool   `json:"hasUser"`
	Error   string `json:"error,omitempty"`
}

func read(s string) result {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		u, err = url.Parse("https://" + s)
		if err != nil {
			return result{Error: err.Error()}
		}
	}
	if u.User == nil {
		return result{Host: u.Host}
	}
	return result{Host: u.Host, User: u.User.String(), HasUser: true}
}

func main() {
	var in []string
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := make([]result, len(in))
	for i, s := range in {
		out[i] = read(s)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
