{{/* Names, labels and the service registry shared by every template. */}}

{{- define "streamfleet.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "streamfleet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "streamfleet.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The services: values key, HTTP port, management port (actuator: health details, metrics; kept off the API port),
whether it is a Kafka Streams app (StatefulSet, state volume, headless Service), whether it checks API keys and
whether it writes progress records (named after the pod). HTTP ports are the fleet's fixed interfaces.
*/}}
{{- define "streamfleet.registry" -}}
ingest-gateway: {key: ingestGateway, port: 8080, managementPort: 9080, streams: false, apiKeys: true, progress: true}
stream-processor: {key: streamProcessor, port: 8081, managementPort: 9081, streams: true, apiKeys: false}
cep-detector: {key: cepDetector, port: 8082, managementPort: 9082, streams: true, apiKeys: false}
session-analytics: {key: sessionAnalytics, port: 8083, managementPort: 9083, streams: true, apiKeys: false}
alert-api: {key: alertApi, port: 8084, managementPort: 9084, streams: false, apiKeys: true}
{{- end -}}

{{/* Context for one service: dict root, name, spec (registry entry), values (its values block), fullname. */}}
{{- define "streamfleet.ctx" -}}
{{- $spec := index (include "streamfleet.registry" .root | fromYaml) .name -}}
{{- $values := index .root.Values $spec.key -}}
{{- toYaml (dict "name" .name "spec" $spec "values" $values "fullname" (printf "%s-%s" (include "streamfleet.fullname" .root) .name | trunc 63 | trimSuffix "-")) -}}
{{- end -}}

{{- define "streamfleet.labels" -}}
helm.sh/chart: {{ include "streamfleet.chart" .root }}
{{ include "streamfleet.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: streamfleet
{{- end -}}

{{- define "streamfleet.selectorLabels" -}}
app.kubernetes.io/name: {{ include "streamfleet.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "streamfleet.image" -}}
{{- $tag := .image.tag | default .root.Values.global.imageTag | default .root.Chart.AppVersion -}}
{{- printf "%s%s:%s" .root.Values.global.imageRegistry .image.repository $tag -}}
{{- end -}}

{{- define "streamfleet.bootstrapServers" -}}
{{- if .Values.devKafka.enabled -}}
{{- printf "%s-kafka:9092" (include "streamfleet.fullname" .) -}}
{{- else -}}
{{- .Values.global.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{- define "streamfleet.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "streamfleet.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{- define "streamfleet.headlessName" -}}
{{- printf "%s-headless" .fullname | trunc 63 | trimSuffix "-" -}}
{{- end -}}
