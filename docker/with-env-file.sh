#!/bin/sh
# Runs a command with the variables of one env file exported: the tokens the secrets service
# generated (docker/ensure-secrets.ts). Usage: with-env-file.sh <file> <command> [args…]
set -eu
file="$1"
shift
if [ ! -r "$file" ]; then
  echo "with-env-file: cannot read $file (did the secrets service run?)" >&2
  exit 1
fi
set -a
. "$file"
set +a
exec "$@"
