// Oracle: Go's crypto/x509 Verify (what kube-apiserver, etcd, kubectl and client-go call) on a
// list of trust edges, each with the verifier's key usage and host name. Stdlib only. Reads JSON
// from stdin: [{"name", "chain": [PEM leaf, PEM intermediates...], "roots": PEM, "usage":
// "server"|"client"|"any", "host": "", "at": RFC 3339}], prints [{"name", "valid", "error"}].
package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"time"
)

type edge struct {
	Name  string   `json:"name"`
	Chain []string `json:"chain"`
	Roots string   `json:"roots"`
	Usage string   `json:"usage"`
	Host  string   `json:"host"`
	At    string   `json:"at"`
}

type result struct {
	Name  string `json:"name"`
	Valid bool   `json:"valid"`
	Error string `json:"error,omitempty"`
}

func certs(p string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	rest := []byte(p)
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			return out, nil
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
}

func verify(e edge) result {
	at, err := time.Parse(time.RFC3339, e.At)
	if err != nil {
		return result{e.Name, false, "bad time: " + err.Error()}
	}
	opts := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), CurrentTime: at, DNSName: e.Host}
	switch e.Usage {
	case "server":
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	case "client":
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	default:
		opts.KeyUsages = []x509.ExtKeyUsage{x509.ExtKeyUsageAny}
	}
	roots, err := certs(e.Roots)
	if err != nil {
		return result{e.Name, false, "parse roots: " + err.Error()}
	}
	for _, r := range roots {
		opts.Roots.AddCert(r)
	}
	var leaf *x509.Certificate
	for i, p := range e.Chain {
		cs, err := certs(p)
		if err != nil || len(cs) == 0 {
			return result{e.Name, false, "parse chain"}
		}
		for j, c := range cs {
			if i == 0 && j == 0 {
				leaf = c
			} else {
				opts.Intermediates.AddCert(c)
			}
		}
	}
	if _, err := leaf.Verify(opts); err != nil {
		return result{e.Name, false, err.Error()}
	}
	return result{e.Name, true, ""}
}

func main() {
	var in []edge
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		os.Exit(2)
	}
	out := make([]result, 0, len(in))
	for _, e := range in {
		out = append(out, verify(e))
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}
