// Oracle: which PEM blocks Go's encoding/pem finds in a file (what kubectl and kube-apiserver
// see: client-go and crypto/tls read PEM with pem.Decode). Prints one JSON line:
// {"blocks":[{"type":"CERTIFICATE","bytes":766}, ...]}.
// Usage: go run pem-decode.go FILE
package main

import (
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
)

type block struct {
	Type  string `json:"type"`
	Bytes int    `json:"bytes"`
}

func main() {
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := []block{}
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		out = append(out, block{b.Type, len(b.Bytes)})
	}
	j, _ := json.Marshal(map[string]interface{}{"blocks": out})
	fmt.Println(string(j))
}
