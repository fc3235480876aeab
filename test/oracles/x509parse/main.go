// x509parse: what Go's crypto/x509.ParseCertificate makes of DER certificates (a test oracle).
// Usage (from this directory): go run . file.der[:issuer.der]...
// Prints one JSON object per file: {"file","ok","error","notBefore","notAfter","version","keyAlgorithm","keyBits","curve","dnsNames"}.
package main

import (
	"crypto/dsa"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

type result struct {
	File         string   `json:"file"`
	OK           bool     `json:"ok"`
	Error        string   `json:"error,omitempty"`
	NotBefore    string   `json:"notBefore,omitempty"`
	NotAfter     string   `json:"notAfter,omitempty"`
	Version      int      `json:"version,omitempty"`
	KeyAlgorithm string   `json:"keyAlgorithm,omitempty"`
	KeyBits      int      `json:"keyBits,omitempty"`
	Curve        string   `json:"curve,omitempty"`
	MaxPathLen   int      `json:"maxPathLen"`
	DNSNames     []string `json:"dnsNames,omitempty"`
	// Signature: issuer.CheckSignature(child's algorithm, TBS, signature) when an issuer is given.
	Signature string `json:"signature,omitempty"`
}

func main() {
	enc := json.NewEncoder(os.Stdout)
	for _, arg := range os.Args[1:] {
		f, issuerFile, _ := strings.Cut(arg, ":")
		r := result{File: f}
		der, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			r.Error = err.Error()
		} else {
			r.OK = true
			r.NotBefore = c.NotBefore.UTC().Format(time.RFC3339)
			r.NotAfter = c.NotAfter.UTC().Format(time.RFC3339)
			r.Version = c.Version
			r.KeyAlgorithm = c.PublicKeyAlgorithm.String()
			r.MaxPathLen = c.MaxPathLen
			r.DNSNames = c.DNSNames
			if issuerFile != "" {
				r.Signature = "ok"
				raw, err := os.ReadFile(issuerFile)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				if issuer, err := x509.ParseCertificate(raw); err != nil {
					r.Signature = "issuer: " + err.Error()
				} else if err := issuer.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
					r.Signature = err.Error()
				}
			}
			switch k := c.PublicKey.(type) {
			case *rsa.PublicKey:
				r.KeyBits = k.N.BitLen()
			case *ecdsa.PublicKey:
				r.KeyBits = k.Curve.Params().BitSize
				r.Curve = k.Curve.Params().Name
			case *dsa.PublicKey:
				r.KeyBits = k.P.BitLen()
			}
		}
		if err := enc.Encode(r); err != nil {
			os.Exit(2)
		}
	}
}
