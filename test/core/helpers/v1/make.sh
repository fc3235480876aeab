#!/bin/sh
# Makes version 1 certificates as `openssl x509 -req` (OpenSSL 3.0, no -extfile) does, the way old
# Kubernetes tutorials issue client certificates: a v1 self-signed root and a v1 client leaf,
# both without extensions. Run from this directory: sh make.sh (OpenSSL 3.0.x was used).
set -e
tmp=$(mktemp -d)
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -new -key "$tmp/ca.key" -subj "/CN=v1 test root" -out "$tmp/ca.csr"
openssl x509 -req -in "$tmp/ca.csr" -signkey "$tmp/ca.key" -days 36500 -set_serial 1 -sha256 -out root.pem
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/leaf.key"
openssl req -new -key "$tmp/leaf.key" -subj "/O=system:masters/CN=jane" -out "$tmp/leaf.csr"
openssl x509 -req -in "$tmp/leaf.csr" -CA root.pem -CAkey "$tmp/ca.key" -days 36500 -set_serial 2 -sha256 -out leaf.pem
rm -rf "$tmp"
