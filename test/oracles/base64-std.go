// Oracle: what Go's base64.StdEncoding (used by encoding/json for []byte fields, so by
// client-go for every *-data field of a kubeconfig) says about each string.
// Reads a JSON array of strings on stdin; prints a JSON array of {"ok":bool,"offset":n}
// where offset is the byte Go names in "illegal base64 data at input byte N" (-1 when ok).
// Usage: go run base64-std.go < strings.json
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
)

type result struct {
	Ok     bool  `json:"ok"`
	Offset int64 `json:"offset"`
}

func main() {
	var in []string
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := []result{}
	for _, s := range in {
		_, err := base64.StdEncoding.DecodeString(s)
		if err == nil {
			out = append(out, result{true, -1})
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimPrefix(err.Error(), "illegal base64 data at input byte "), 10, 64)
		out = append(out, result{false, n})
	}
	j, _ := json.Marshal(out)
	fmt.Println(string(j))
}
