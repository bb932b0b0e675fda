#!/usr/bin/env bash
# Fetches the public crystal data sets that torus's crystal tests and benchmarks read, into
# data/crystals/ in the layout of ../shared/data/crystals/ (which this replaces outside the
# development setting). Source: the Perov-5 and Carbon-24 splits distributed with CDVAE
# (Xie et al., 2022; https://github.com/txie-93/cdvae, MIT licence).
# Tests find the data through TORUS_DATA=<this folder's crystals parent>, e.g.
#   TORUS_DATA=$PWD/data ./scripts/test.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
base=https://raw.githubusercontent.com/txie-93/cdvae/main/data
for file in perov_5/train.csv perov_5/val.csv perov_5/test.csv \
            carbon_24/train.csv carbon_24/val.csv carbon_24/test.csv; do
  target="$here/crystals/$file"
  if [ -s "$target" ]; then echo "have $file"; continue; fi
  mkdir -p "$(dirname "$target")"
  echo "fetching $file"
  curl -fL --retry 3 -o "$target.part" "$base/$file"
  mv "$target.part" "$target"
done
