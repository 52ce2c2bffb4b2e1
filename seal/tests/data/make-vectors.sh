#!/usr/bin/env bash
# Regenerates the committed test vectors with the stock age CLI (Debian's `age` package), so the
# vectors double as proof that records written by another age implementation open in sealform.
# Run from this folder: ./make-vectors.sh. The identity is a test key: it protects nothing.
set -euo pipefail
cd "$(dirname "$0")"

[[ -f identity.txt ]] || age-keygen -o identity.txt 2>/dev/null
recipient=$(age-keygen -y identity.txt)

# Padmé length (Nikitin et al., PETS 2019): see seal/src/padding.rs.
padme() {
  local len=$1 e=0 s=0 n
  (( len < 2 )) && { echo "$len"; return; }
  n=$len; while (( n > 1 )); do (( n >>= 1, e++ )); done
  n=$e; while (( n > 1 )); do (( n >>= 1, s++ )); done
  (( s++ ))
  local mask=$(( (1 << (e - s)) - 1 ))
  echo $(( (len + mask) & ~mask ))
}

# write_padded FILE JSON [EXTRA_ZEROS]: JSON then zeros to its Padmé length (+ extra zeros).
bytes() { printf '%s' "$1" | wc -c; }

write_padded() {
  local file=$1 json=$2 extra=${3:-0}
  printf '%s' "$json" > "$file"
  truncate -s $(( $(padme "$(bytes "$json")") + extra )) "$file"
}

seal_to() { age -e -r "$1" -o "$2" "$3"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

basic='{"v":1,"campaign":"open-letter","lang":"en","received":"2026-11-28","fields":[{"name":"sign_as","kind":"choice","value":"organization"},{"name":"organization_name","kind":"text","value":"Butterfly"},{"name":"name","kind":"text","value":"Mai Nguyễn"},{"name":"actions","kind":"choices","value":["share","meeting"]},{"name":"harm","kind":"text","value":"línea 1\nمرحبا 👩🏽‍⚕️"},{"name":"consent_public","kind":"consent","value":true},{"name":"consent_contact","kind":"consent","value":false}]}'
write_padded "$tmp/basic" "$basic"
seal_to "$recipient" ok_basic.age "$tmp/basic"

# The current layout (version 2): the same answers with the campaign file's SHA-256.
current=${basic/'"campaign":"open-letter",'/'"campaign":"open-letter","campaign_version":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",'}
current=${current/'"v":1'/'"v":2'}
write_padded "$tmp/current" "$current"
seal_to "$recipient" ok_v2.age "$tmp/current"

head -c -20 ok_basic.age > fail_truncated.age

other=$(age-keygen 2>/dev/null | age-keygen -y)
seal_to "$other" fail_wrong_key.age "$tmp/basic"

write_padded "$tmp/long" "$basic" 1
seal_to "$recipient" fail_bad_padding_length.age "$tmp/long"

{ printf '%s' "$basic"; printf '\0\0\0x'; } > "$tmp/dirty"
truncate -s "$(padme "$(bytes "$basic")")" "$tmp/dirty"
# Keep the stray byte inside the Padmé length.
printf 'x' | dd of="$tmp/dirty" bs=1 seek=$(( $(padme "$(bytes "$basic")") - 1 )) conv=notrunc status=none
seal_to "$recipient" fail_bad_padding_nonzero.age "$tmp/dirty"

write_padded "$tmp/v3" '{"v":3,"campaign":"open-letter","lang":"en","received":"2026-11-28","fields":[]}'
seal_to "$recipient" fail_wrong_version.age "$tmp/v3"

write_padded "$tmp/shape" '{"v":1,"campaign":"open-letter","fields":"not a list"}'
seal_to "$recipient" fail_malformed.age "$tmp/shape"

printf 'name,email\nMai,mai@example.org\n' > fail_not_age.age
