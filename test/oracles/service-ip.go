// Oracle: the ClusterIP of the `kubernetes` Service for each --service-cluster-ip-range, as
// kube-apiserver computes it: the primary (first) range of the flag, net.ParseCIDR, and the network
// address + 1 (k8s.io/kubernetes pkg/controlplane/services.go ServiceIPRange: utilnet.GetIndexedIP(
// &serviceClusterIPRange, 1)), printed by net.IP.String (RFC 5952 for IPv6).
// Reads a JSON array of range strings on stdin; prints a JSON array of IPs ("" when not a CIDR).
// Usage: go run service-ip.go < ranges.json
package main

import (
	"encoding/json"
	"math/big"
	"net"
	"os"
	"strings"
)

func first(flag string) string {
	_, n, err := net.ParseCIDR(strings.TrimSpace(strings.Split(flag, ",")[0]))
	if err != nil {
		return ""
	}
	base := n.IP
	if v4 := base.To4(); v4 != nil {
		base = v4
	}
	i := new(big.Int).SetBytes(base)
	i.Add(i, big.NewInt(1))
	b := i.Bytes()
	out := make(net.IP, len(base))
	copy(out[len(out)-len(b):], b)
	return out.String()
}

func main() {
	var ranges []string
	if err := json.NewDecoder(os.Stdin).Decode(&ranges); err != nil {
		panic(err)
	}
	out := make([]string, len(ranges))
	for i, r := range ranges {
		out[i] = first(r)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
