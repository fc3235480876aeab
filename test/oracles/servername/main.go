// Oracle: the host name kubectl checks a server certificate against, and whether the certificate
// passes that check, computed by Go's own net/url, net/http and crypto/x509 (stdlib only).
//
// Input (stdin): JSON array of {server, defaultTLS, tlsServerName, certB64}.
// Output (stdout): JSON array, one entry per case, in order.
//
// For each case:
//  1. client-go's DefaultServerURL (k8s.io/client-go/rest/url_utils.go), restated below: url.Parse
//     the server; if that fails or has no scheme or host, url.Parse again with "https://" (when TLS
//     is configured: CA data/file, client certificate or insecure; defaultServerUrlFor) or "http://"
//     prepended, and refuse a path other than "" or "/" in that case.
//  2. The name net/http puts into tls.Config.ServerName (transport.go addTLS: cm.tlsHost(), built
//     by canonicalAddr: url.Hostname(), IDNA-converted, joined with the port) is observed for real:
//     a Transport whose dialers record the address they are asked for and fail.
//  3. tls-server-name, when set, is the ServerName instead (client-go transport TLSConfigFor).
//  4. crypto/x509 Certificate.VerifyHostname(ServerName), what crypto/tls runs via
//     VerifyOptions.DNSName during the handshake.
package main

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
)

type input struct {
	Server        string `json:"server"`
	DefaultTLS    bool   `json:"defaultTLS"`
	TLSServerName string `json:"tlsServerName"`
	CertB64       string `json:"certB64"`
}

type output struct {
	Error      string `json:"error,omitempty"`
	Scheme     string `json:"scheme,omitempty"`
	Hostname   string `json:"hostname"`
	DialAddr   string `json:"dialAddr,omitempty"`
	ServerName string `json:"serverName"`
	// "ok", the VerifyHostname error, or "" when no check ran.
	Verify string `json:"verify"`
}

// defaultServerURL restates client-go rest.DefaultServerURL (url_utils.go).
func defaultServerURL(host string, defaultTLS bool) (*url.URL, error) {
	if host == "" {
		return nil, fmt.Errorf("host must be a URL or a host:port pair")
	}
	base := host
	hostURL, err := url.Parse(base)
	if err != nil || hostURL.Scheme == "" || hostURL.Host == "" {
		scheme := "http://"
		if defaultTLS {
			scheme = "https://"
		}
		hostURL, err = url.Parse(scheme + base)
		if err != nil {
			return nil, err
		}
		if hostURL.Path != "" && hostURL.Path != "/" {
			return nil, fmt.Errorf("host must be a URL or a host:port pair: %q", base)
		}
	}
	return hostURL, nil
}

var errStop = errors.New("oracle: dial recorded")

// dialAddr asks net/http which address (host:port, IDNA-converted) it would dial for u.
func dialAddr(u *url.URL) (string, error) {
	var addr string
	record := func(_ context.Context, _ string, a string) (net.Conn, error) {
		addr = a
		return nil, errStop
	}
	t := &http.Transport{Proxy: nil, DialContext: record, DialTLSContext: record}
	req := &http.Request{Method: "GET", URL: u, Header: http.Header{}, Host: u.Host}
	_, err := t.RoundTrip(req)
	if addr == "" {
		return "", err
	}
	return addr, nil
}

func run(in input) output {
	var out output
	u, err := defaultServerURL(in.Server, in.DefaultTLS)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	out.Scheme = u.Scheme
	out.Hostname = u.Hostname()
	if u.Scheme != "https" {
		return out
	}
	addr, err := dialAddr(u)
	if err != nil {
		out.Error = "dial: " + err.Error()
		return out
	}
	out.DialAddr = addr
	// transport.go (*connectMethod).tlsHost: the dial address without its port.
	h := addr
	if i := strings.LastIndex(h, ":"); i >= 0 {
		h = h[:i]
	}
	out.ServerName = h
	if in.TLSServerName != "" {
		out.ServerName = in.TLSServerName
	}
	der, err := base64.StdEncoding.DecodeString(in.CertB64)
	if err != nil || len(der) == 0 {
		return out
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		out.Verify = "parse: " + err.Error()
		return out
	}
	if out.ServerName == "" {
		return out
	}
	if err := cert.VerifyHostname(out.ServerName); err != nil {
		out.Verify = err.Error()
	} else {
		out.Verify = "ok"
	}
	return out
}

func main() {
	var ins []input
	if err := json.NewDecoder(os.Stdin).Decode(&ins); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	outs := make([]output, len(ins))
	for i, in := range ins {
		outs[i] = run(in)
	}
	if err := json.NewEncoder(os.Stdout).Encode(outs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
