#!/bin/sh
# One-shot: creates Keiko's namespace and registers its search attributes (run by the compose service
# temporal-setup on temporalio/admin-tools once the server is healthy; safe to run again).
set -eu
address="${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS is required}"
namespace="${KEIKO_NAMESPACE:-keiko}"
retention="${KEIKO_NAMESPACE_RETENTION:-7d}"

attempt=1
until temporal operator cluster health --address "$address" >/dev/null 2>&1; do
  [ "$attempt" -ge 60 ] && { echo "Temporal at $address is not healthy" >&2; exit 1; }
  attempt=$((attempt + 1)); sleep 2
done

if temporal operator namespace describe --address "$address" -n "$namespace" >/dev/null 2>&1; then
  echo "namespace $namespace exists"
else
  temporal operator namespace create --address "$address" -n "$namespace" --retention "$retention"
fi

# The search attributes Keiko's workflows set (KeikoSearchAttributes in the workflows module).
while read -r name type; do
  [ -z "$name" ] && continue
  if temporal operator search-attribute list --address "$address" -n "$namespace" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --address "$address" -n "$namespace" --name "$name" --type "$type"
  fi
done <<'ATTRIBUTES'
KeikoKind Keyword
KeikoTaskType Keyword
KeikoStatus Keyword
KeikoPriority Keyword
KeikoOwner Keyword
KeikoAgentId Keyword
KeikoDeployment Keyword
KeikoServers KeywordList
ATTRIBUTES
echo "namespace $namespace is ready"
