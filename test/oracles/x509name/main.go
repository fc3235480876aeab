// Oracle: the user and groups kube-apiserver's x509 authenticator reads from a client
// certificate: Subject.CommonName and Subject.Organization as Go's crypto/x509 parses them
// (pkix.Name.FillFromRDNSequence: a later CN replaces an earlier one). CommonNameUserConversion
// (k8s.io/apiserver/pkg/authentication/request/x509/x509.go) authenticates nobody when
// CommonName is empty.
//
// Input (stdin): JSON array of base64 DER certificates. Output: JSON array of
// {commonName, organization, organizationHex, error}; organizationHex holds each Organization
// value's bytes in hex (JSON would replace bytes that are not UTF-8, such as a T61String's).
package main

import (
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

type output struct {
	CommonName   string   `json:"commonName"`
	Organization []string `json:"organization"`
	OrgHex       []string `json:"organizationHex"`
	Error        string   `json:"error,omitempty"`
}

func main() {
	var ins [][]byte
	if err := json.NewDecoder(os.Stdin).Decode(&ins); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	outs := make([]output, len(ins))
	for i, der := range ins {
		c, err := x509.ParseCertificate(der)
		if err != nil {
			outs[i].Error = err.Error()
			continue
		}
		outs[i] = output{CommonName: c.Subject.CommonName, Organization: c.Subject.Organization}
		if outs[i].Organization == nil {
			outs[i].Organization = []string{}
		}
		outs[i].OrgHex = []string{}
		for _, o := range c.Subject.Organization {
			outs[i].OrgHex = append(outs[i].OrgHex, hex.EncodeToString([]byte(o)))
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(outs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
