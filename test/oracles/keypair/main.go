// Oracle: does this private key belong to this certificate, as Go sees it (stdlib only)?
//
// Input (stdin): JSON array of {certPem, keyPem}. Output: JSON array of
//
//	keyPair: "ok" or the error of crypto/tls X509KeyPair (crypto/tls/tls.go), what client-go
//	         runs on client-certificate-data + client-key-data before connecting;
//	sameKey: X509KeyPair's own comparison (tls.go: RSA pub.N vs priv.N, ECDSA X and Y, Ed25519
//	         bytes) applied to the certificate's key read from its SubjectPublicKeyInfo by Go's
//	         decoders (x509.ParsePKCS1PublicKey, elliptic.Unmarshal / UnmarshalCompressed,
//	         raw Ed25519 bytes) even where x509.ParseCertificate refuses the encoding; plus the
//	         RSA exponent. "yes", "no", or "n/a" when Go cannot read one of the two keys.
package main

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/asn1"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
)

type input struct {
	CertPem string `json:"certPem"`
	KeyPem  string `json:"keyPem"`
}

type output struct {
	KeyPair string `json:"keyPair"`
	SameKey string `json:"sameKey"`
}

type spki struct {
	Algorithm struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	PublicKey asn1.BitString
}

type tbs struct {
	Raw       asn1.RawContent
	Version   int `asn1:"optional,explicit,default:0,tag:0"`
	Serial    asn1.RawValue
	SigAlg    asn1.RawValue
	Issuer    asn1.RawValue
	Validity  asn1.RawValue
	Subject   asn1.RawValue
	PublicKey spki
}

type certificate struct {
	TBS tbs
}

var (
	oidRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidEC      = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidEd25519 = asn1.ObjectIdentifier{1, 3, 101, 112}
	curves     = map[string]elliptic.Curve{"1.2.840.10045.3.1.7": elliptic.P256(), "1.3.132.0.34": elliptic.P384(), "1.3.132.0.35": elliptic.P521()}
)

// certKey reads the public key from the certificate's SPKI without x509.ParseCertificate's checks.
func certKey(der []byte) crypto.PublicKey {
	var c certificate
	if _, err := asn1.Unmarshal(der, &c); err != nil {
		return nil
	}
	k := c.TBS.PublicKey
	data := k.PublicKey.RightAlign()
	switch {
	case k.Algorithm.Algorithm.Equal(oidRSA):
		pub, err := x509.ParsePKCS1PublicKey(data)
		if err != nil {
			return nil
		}
		return pub
	case k.Algorithm.Algorithm.Equal(oidEC):
		var curveOid asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(k.Algorithm.Parameters.FullBytes, &curveOid); err != nil {
			return nil
		}
		curve := curves[curveOid.String()]
		if curve == nil {
			return nil
		}
		x, y := elliptic.Unmarshal(curve, data)
		if x == nil {
			x, y = elliptic.UnmarshalCompressed(curve, data)
		}
		if x == nil {
			return nil
		}
		return &ecdsa.PublicKey{Curve: curve, X: x, Y: y}
	case k.Algorithm.Algorithm.Equal(oidEd25519):
		if len(data) != ed25519.PublicKeySize {
			return nil
		}
		return ed25519.PublicKey(data)
	}
	return nil
}

// privateKey follows crypto/tls parsePrivateKey: PKCS#1, then PKCS#8, then SEC1.
func privateKey(der []byte) crypto.PrivateKey {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return k
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k
	}
	return nil
}

func sameKey(pub crypto.PublicKey, priv crypto.PrivateKey) string {
	if pub == nil || priv == nil {
		return "n/a"
	}
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	switch pub := pub.(type) {
	case *rsa.PublicKey:
		p, ok := priv.(*rsa.PrivateKey)
		return yes(ok && pub.N.Cmp(p.N) == 0 && pub.E == p.E)
	case *ecdsa.PublicKey:
		p, ok := priv.(*ecdsa.PrivateKey)
		return yes(ok && pub.X.Cmp(p.X) == 0 && pub.Y.Cmp(p.Y) == 0)
	case ed25519.PublicKey:
		p, ok := priv.(ed25519.PrivateKey)
		return yes(ok && bytes.Equal(p.Public().(ed25519.PublicKey), pub))
	}
	return "n/a"
}

func run(in input) output {
	var out output
	if _, err := tls.X509KeyPair([]byte(in.CertPem), []byte(in.KeyPem)); err != nil {
		out.KeyPair = err.Error()
	} else {
		out.KeyPair = "ok"
	}
	cb, _ := pem.Decode([]byte(in.CertPem))
	kb, _ := pem.Decode([]byte(in.KeyPem))
	if cb == nil || kb == nil {
		out.SameKey = "n/a"
		return out
	}
	out.SameKey = sameKey(certKey(cb.Bytes), privateKey(kb.Bytes))
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
