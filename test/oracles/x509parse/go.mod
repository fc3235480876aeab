module certaudit/oracles/x509parse

go 1.19
