# Shared by labgen's stub guest commands (sourced). Each stub logs its invocation to $LABGEN_FAKE_STATE/calls.log
# and keeps minimal state under $LABGEN_FAKE_STATE, so provisioning scripts can run on a test machine without
# touching it: no package manager, service, kernel module, firewall or network is ever used for real.
set -u
: "${LABGEN_FAKE_STATE:?the stub guest commands need LABGEN_FAKE_STATE}"
fake_name="${0##*/}"
printf '%s\n' "$fake_name $*" >>"$LABGEN_FAKE_STATE/calls.log"
fake_has() { [ -e "$LABGEN_FAKE_STATE/$1" ]; }
fake_set() { local p="$LABGEN_FAKE_STATE/$1"; mkdir -p "${p%/*}"; printf '%s\n' "${2:-1}" >"$LABGEN_FAKE_STATE/$1"; }
fake_unset() { rm -f "$LABGEN_FAKE_STATE/$1"; }
fake_get() { cat "$LABGEN_FAKE_STATE/$1" 2>/dev/null; }
