#!/usr/bin/env bash
# Regenerates Sources/OTLPProto/Generated/*.pb.swift from proto/ (see docs/otlp.md).
#
# The generated Swift is committed: SwiftPM's protobuf build plugin would rebuild protoc-gen-swift
# on every clean CI build (~10 minutes on 2 cores). Run this after editing anything under proto/
# and commit the result.
#
# Needs: protoc (Debian: apt-get install -y protobuf-compiler; google/protobuf/any.proto comes with
# it via libprotobuf-dev) and Swift. protoc-gen-swift is built from apple/swift-protobuf at the
# version below, in a scratch package under .build-protoc-gen-swift/ (ignored by git).
set -euo pipefail

SWIFT_PROTOBUF_VERSION="${SWIFT_PROTOBUF_VERSION:-1.39.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$root/.build-protoc-gen-swift"
out="$root/Sources/OTLPProto/Generated"

command -v protoc >/dev/null || { echo "error: protoc not found; apt-get install -y protobuf-compiler" >&2; exit 1; }

mkdir -p "$scratch"
cat >"$scratch/Package.swift" <<SWIFT
// swift-tools-version:6.1
// Scratch package: only here to build protoc-gen-swift ${SWIFT_PROTOBUF_VERSION}.
import PackageDescription
let package = Package(
    name: "protoc-gen-swift-builder",
    dependencies: [.package(url: "https://github.com/apple/swift-protobuf", exact: "${SWIFT_PROTOBUF_VERSION}")],
    targets: []
)
SWIFT
# A debug build is enough for a code generator and takes far less time than -c release.
swift build --package-path "$scratch" --product protoc-gen-swift >&2
plugin="$(swift build --package-path "$scratch" --show-bin-path)/protoc-gen-swift"

rm -rf "$out"
mkdir -p "$out"
cd "$root/proto"
protos=$(find . -name '*.proto' | sed 's|^\./||' | sort)
# shellcheck disable=SC2086
protoc \
    --plugin=protoc-gen-swift="$plugin" \
    --swift_out="$out" \
    --swift_opt=Visibility=Package \
    --swift_opt=FileNaming=PathToUnderscores \
    --swift_opt=UseAccessLevelOnImports=true \
    -I . -I /usr/include \
    $protos
echo "generated $(ls "$out" | wc -l) files in ${out#"$root"/}" >&2
