// Oracle: what Go's crypto/x509 Verify (the library kubectl and kube-apiserver use) says about a
// chain. Stdlib only. Usage:
//
//	go run ./test/oracles/x509verify -at 2026-06-01T00:00:00Z -root ta.crt [-inter ca.crt ...] leaf.crt
//
// Files are DER or PEM. Prints one JSON line: {"valid":true} or {"valid":false,"error":"..."}.
// A certificate Go cannot parse is reported as {"valid":false,"error":"parse ..."}.
package main

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"os"
	"time"
)

type files []string

func (f *files) String() string     { return fmt.Sprint(*f) }
func (f *files) Set(v string) error { *f = append(*f, v); return nil }

func load(path string) (*x509.Certificate, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if blk, _ := pem.Decode(b); blk != nil {
		b = blk.Bytes
	}
	return x509.ParseCertificate(b)
}

func answer(valid bool, msg string) {
	out := map[string]interface{}{"valid": valid}
	if msg != "" {
		out["error"] = msg
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func main() {
	var roots, inters files
	at := flag.String("at", "", "validation time, RFC 3339")
	flag.Var(&roots, "root", "trust anchor (repeatable)")
	flag.Var(&inters, "inter", "untrusted intermediate (repeatable)")
	flag.Parse()
	when, err := time.Parse(time.RFC3339, *at)
	if err != nil || flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: x509verify -at RFC3339 -root file [-inter file] leaf")
		os.Exit(2)
	}
	opts := x509.VerifyOptions{Roots: x509.NewCertPool(), Intermediates: x509.NewCertPool(), CurrentTime: when, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	for _, p := range roots {
		c, err := load(p)
		if err != nil {
			answer(false, "parse "+p+": "+err.Error())
			return
		}
		opts.Roots.AddCert(c)
	}
	for _, p := range inters {
		c, err := load(p)
		if err != nil {
			answer(false, "parse "+p+": "+err.Error())
			return
		}
		opts.Intermediates.AddCert(c)
	}
	leaf, err := load(flag.Arg(0))
	if err != nil {
		answer(false, "parse leaf: "+err.Error())
		return
	}
	if _, err := leaf.Verify(opts); err != nil {
		answer(false, err.Error())
		return
	}
	answer(true, "")
}
