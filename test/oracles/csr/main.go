// Oracle: a CertificateSigningRequest's spec.request and status.certificate as Kubernetes (Go)
// reads them (stdlib only).
//
// Input (stdin): JSON array of {name, request, certificate, at}: request is the decoded
// spec.request (PEM), certificate the decoded status.certificate (PEM, may be empty), at an
// RFC 3339 time. Output: JSON array of
//
//	parse:       "ok" or the error of pem.Decode + x509.ParseCertificateRequest, as
//	             kubernetes pkg/apis/certificates/helpers.go ParseCSR runs them;
//	signature:   "ok" or the error of CertificateRequest.CheckSignature, as
//	             pkg/apis/certificates/validation/validation.go validateCSR calls it;
//	commonName, organization, dnsNames, ipAddresses, emails, uris: the parsed request's fields;
//	spkiSha256:  sha256 of RawSubjectPublicKeyInfo, hex;
//	sameKey:     "yes"/"no" (status.certificate's PublicKey.Equal the request's), "" without one;
//	validAt:     status.certificate's NotBefore <= at <= NotAfter, "" without one.
package main

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"time"
)

type input struct {
	Name        string `json:"name"`
	Request     string `json:"request"`
	Certificate string `json:"certificate"`
	At          string `json:"at"`
}

type output struct {
	Name         string   `json:"name"`
	Parse        string   `json:"parse"`
	Signature    string   `json:"signature"`
	CommonName   string   `json:"commonName"`
	Organization []string `json:"organization"`
	DNSNames     []string `json:"dnsNames"`
	IPAddresses  []string `json:"ipAddresses"`
	Emails       []string `json:"emails"`
	URIs         []string `json:"uris"`
	SpkiSha256   string   `json:"spkiSha256"`
	SameKey      string   `json:"sameKey"`
	ValidAt      string   `json:"validAt"`
}

func parseCSR(pemBytes []byte) (*x509.CertificateRequest, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		return nil, errors.New("PEM block type must be CERTIFICATE REQUEST")
	}
	return x509.ParseCertificateRequest(block.Bytes)
}

func main() {
	var in []input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := []output{}
	for _, q := range in {
		o := output{Name: q.Name, Organization: []string{}, DNSNames: []string{}, IPAddresses: []string{}, Emails: []string{}, URIs: []string{}}
		csr, err := parseCSR([]byte(q.Request))
		if err != nil {
			o.Parse = err.Error()
			out = append(out, o)
			continue
		}
		o.Parse = "ok"
		o.Signature = "ok"
		if err := csr.CheckSignature(); err != nil {
			o.Signature = err.Error()
		}
		o.CommonName = csr.Subject.CommonName
		o.Organization = append(o.Organization, csr.Subject.Organization...)
		o.DNSNames = append(o.DNSNames, csr.DNSNames...)
		for _, ip := range csr.IPAddresses {
			o.IPAddresses = append(o.IPAddresses, ip.String())
		}
		o.Emails = append(o.Emails, csr.EmailAddresses...)
		for _, u := range csr.URIs {
			o.URIs = append(o.URIs, u.String())
		}
		sum := sha256.Sum256(csr.RawSubjectPublicKeyInfo)
		o.SpkiSha256 = hex.EncodeToString(sum[:])
		if block, _ := pem.Decode([]byte(q.Certificate)); block != nil {
			cert, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				o.SameKey = "unparsable: " + err.Error()
			} else {
				o.SameKey = "no"
				if k, ok := csr.PublicKey.(interface{ Equal(crypto.PublicKey) bool }); ok && k.Equal(cert.PublicKey) {
					o.SameKey = "yes"
				}
				at, err := time.Parse(time.RFC3339, q.At)
				if err != nil {
					panic(err)
				}
				o.ValidAt = "no"
				if !at.Before(cert.NotBefore) && !at.After(cert.NotAfter) {
					o.ValidAt = "yes"
				}
			}
		}
		out = append(out, o)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}
