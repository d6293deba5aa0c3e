#!/usr/bin/env bash
# Creates the StreamFleet topics that do not exist yet (idempotent). Used by the compose one-shot service `kafka-init`.
# Usage: create-topics.sh BOOTSTRAP [PARTITIONS] [REPLICATION_FACTOR]
set -euo pipefail
bootstrap="${1:?bootstrap servers}"
partitions="${2:-3}"
rf="${3:-1}"
topics_bin="${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh"

create() {
  "${topics_bin}" --bootstrap-server "${bootstrap}" --create --if-not-exists --topic "$1" \
    --partitions "$2" --replication-factor "${rf}" "${@:3}"
}

for topic in orders.raw orders.clean orders.late orders.stats \
             engagement.raw engagement.clean engagement.late engagement.sessions \
             orders.cep.late alerts.anomaly alerts.engagement alerts.evidence alerts.webhooks.dlq alerts.webhooks.attempts; do
  create "${topic}" "${partitions}"
done
# webhook subscriptions are the durable store of alert-api: one partition, compacted (latest state per id)
create alerts.webhooks.subscriptions 1 --config cleanup.policy=compact
"${topics_bin}" --bootstrap-server "${bootstrap}" --list
