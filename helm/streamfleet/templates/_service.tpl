{{/*
Shared templates for the five services. Each service folder calls them with
  (dict "root" $ "name" "<service>")
so every service gets the same configuration, pod spec, probes, security context, Services, PDB and ServiceMonitor.
*/}}

{{/*
application.yaml of a service: Kafka security settings from global.kafka and, for Streams services, the stream
threads and standby replicas, then the service's `config` (which wins).
*/}}
{{- define "streamfleet.applicationYaml" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- $k := .root.Values.global.kafka -}}
{{- $settings := dict -}}
{{- if ne $k.securityProtocol "PLAINTEXT" -}}
{{- /* spring.kafka.* only: every client, Kafka Streams included, is built from it (KafkaClients), and a differing
       security setting under streamfleet.streams.overrides would be refused at start-up */ -}}
{{- $springKafka := dict "security" (dict "protocol" $k.securityProtocol) -}}
{{- if hasPrefix "SASL" $k.securityProtocol -}}
{{- $_ := set $springKafka "properties" (dict "[sasl.mechanism]" $k.sasl.mechanism "[sasl.jaas.config]" "${KAFKA_SASL_JAAS_CONFIG}") -}}
{{- end -}}
{{- if and (hasSuffix "SSL" $k.securityProtocol) $k.tls.existingSecret -}}
{{- $store := printf "/etc/streamfleet/kafka-tls/%s" $k.tls.truststoreKey -}}
{{- $_ := set $springKafka "ssl" (dict "trust-store-location" (printf "file:%s" $store) "trust-store-password" "${KAFKA_TRUSTSTORE_PASSWORD}" "trust-store-type" $k.tls.truststoreType) -}}
{{- end -}}
{{- $_ := set $settings "spring" (dict "kafka" $springKafka) -}}
{{- end -}}
{{- if $ctx.spec.streams -}}
{{- /* a standby lives on another pod than its active task: more than replicaCount - 1 could never be placed */ -}}
{{- $standbys := min $ctx.values.numStandbyReplicas (max 0 (sub $ctx.values.replicaCount 1)) -}}
{{- $_ := set $settings "streamfleet" (dict "streams" (dict "threads" ($ctx.values.numStreamThreads | default 1) "overrides" (dict "[num.standby.replicas]" $standbys))) -}}
{{- end -}}
{{- $merged := mustMergeOverwrite $settings (deepCopy ($ctx.values.config | default dict)) -}}
{{- if $merged -}}
{{- toYaml $merged -}}
{{- else -}}
# no settings beyond the defaults packaged in the image
{{- end -}}
{{- end -}}

{{- define "streamfleet.configmap" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $ctx.fullname }}-config
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
data:
  application.yaml: |
    {{- include "streamfleet.applicationYaml" . | nindent 4 }}
{{- end -}}

{{- define "streamfleet.env" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- $g := .root.Values.global -}}
- name: SERVER_PORT
  value: {{ $ctx.spec.port | quote }}
# actuator (probes, health details, metrics) on its own port, reachable only where the NetworkPolicy allows it
- name: MANAGEMENT_SERVER_PORT
  value: {{ $ctx.spec.managementPort | quote }}
- name: STREAMFLEET_KAFKA_BOOTSTRAP_SERVERS
  value: {{ include "streamfleet.bootstrapServers" .root | quote }}
- name: SPRING_CONFIG_ADDITIONAL_LOCATION
  value: "optional:file:/config/"
- name: LOGGING_STRUCTURED_FORMAT_CONSOLE
  value: {{ $g.logFormat | quote }}
- name: JAVA_TOOL_OPTIONS
  value: {{ $g.javaToolOptions | quote }}
{{- if $ctx.spec.streams }}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: STREAMFLEET_STATE_DIR
  value: /var/lib/streamfleet/state
# static group membership: the StatefulSet's stable pod name, so a restarted pod takes its tasks back without a
# rebalance (docs/recovery.md)
- name: STREAMFLEET_STREAMS_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
# interactive queries: each pod advertises its own stable DNS name behind the headless Service
- name: STREAMFLEET_ADVERTISED_HOST
  value: "$(POD_NAME).{{ include "streamfleet.headlessName" $ctx }}.$(POD_NAMESPACE).svc.{{ $g.clusterDomain }}"
{{- end }}
{{- if $ctx.spec.progress }}
# progress records name their writer: one id per pod, new with every pod (docs/event-time.md)
- name: STREAMFLEET_GATEWAY_PROGRESS_INSTANCE_ID
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
{{- end }}
{{- with $ctx.values.warmUp }}
# self-warm-up before readiness (docs/ingest-gateway.md#self-warm-up-before-readiness)
- name: STREAMFLEET_GATEWAY_WARM_UP_ENABLED
  value: {{ .enabled | quote }}
- name: STREAMFLEET_GATEWAY_WARM_UP_MAX_TIME
  value: {{ .maxTime | quote }}
- name: STREAMFLEET_GATEWAY_WARM_UP_TOPIC
  value: {{ .topic | quote }}
{{- end }}
{{- if eq .name "alert-api" }}
# the console's engagement-drop chart (session-analytics' API) and pipeline health (each service's management port)
{{- $registry := include "streamfleet.registry" .root | fromYaml }}
{{- $base := include "streamfleet.fullname" .root }}
{{- if .root.Values.sessionAnalytics.enabled }}
- name: STREAMFLEET_ALERTS_CONSOLE_SESSION_ANALYTICS_URL
  value: {{ printf "http://%s-session-analytics:%v" $base (get $registry "session-analytics").port | quote }}
{{- end }}
{{- $i := 0 }}
{{- range $name := list "ingest-gateway" "stream-processor" "cep-detector" "session-analytics" }}
{{- $spec := get $registry $name }}
{{- if (index $.root.Values $spec.key).enabled }}
- name: STREAMFLEET_ALERTS_CONSOLE_SERVICES_{{ $i }}
  value: {{ printf "%s=http://%s-%s:%v" $name $base $name $spec.managementPort | quote }}
{{- $i = add1 $i }}
{{- end }}
{{- end }}
{{- end }}
{{- if $ctx.spec.apiKeys }}
{{- range $i, $key := $g.apiKeys }}
- name: STREAMFLEET_SECURITY_KEYS_{{ $i }}_ID
  value: {{ $key.id | quote }}
- name: STREAMFLEET_SECURITY_KEYS_{{ $i }}_SHA256
  value: {{ $key.sha256 | quote }}
- name: STREAMFLEET_SECURITY_KEYS_{{ $i }}_SCOPES
  value: {{ join "," $key.scopes | quote }}
- name: STREAMFLEET_SECURITY_KEYS_{{ $i }}_RATE_PER_SECOND
  value: {{ $key.ratePerSecond | default 0 | quote }}
{{- end }}
{{- end }}
{{- if and (hasPrefix "SASL" $g.kafka.securityProtocol) $g.kafka.sasl.existingSecret }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ $g.kafka.sasl.existingSecret }}
      key: {{ $g.kafka.sasl.jaasConfigKey }}
{{- end }}
{{- if and (hasSuffix "SSL" $g.kafka.securityProtocol) $g.kafka.tls.existingSecret }}
- name: KAFKA_TRUSTSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $g.kafka.tls.existingSecret }}
      key: {{ $g.kafka.tls.truststorePasswordKey }}
{{- end }}
{{- with $ctx.values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The pod template every service uses (Deployment or StatefulSet). */}}
{{- define "streamfleet.podTemplate" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- $g := .root.Values.global -}}
metadata:
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
  annotations:
    checksum/config: {{ include "streamfleet.configmap" . | sha256sum }}
    # for Prometheus setups that discover pods by annotation instead of ServiceMonitors
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $ctx.spec.managementPort | quote }}
    prometheus.io/path: /actuator/prometheus
    {{- with $g.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- with $g.imagePullSecrets }}
  imagePullSecrets:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  serviceAccountName: {{ include "streamfleet.serviceAccountName" .root }}
  automountServiceAccountToken: {{ .root.Values.serviceAccount.automountServiceAccountToken }}
  terminationGracePeriodSeconds: {{ $g.terminationGracePeriodSeconds }}
  securityContext:
    {{- toYaml $g.podSecurityContext | nindent 4 }}
  containers:
    - name: {{ .name }}
      image: {{ include "streamfleet.image" (dict "root" .root "image" $ctx.values.image) | quote }}
      imagePullPolicy: {{ $g.imagePullPolicy }}
      securityContext:
        {{- toYaml $g.containerSecurityContext | nindent 8 }}
      ports:
        - name: http
          containerPort: {{ $ctx.spec.port }}
          protocol: TCP
        - name: management
          containerPort: {{ $ctx.spec.managementPort }}
          protocol: TCP
      env:
        {{- include "streamfleet.env" . | nindent 8 }}
      startupProbe:
        httpGet: {path: /actuator/health/liveness, port: management}
        periodSeconds: 5
        timeoutSeconds: {{ $g.probes.timeoutSeconds }}
        failureThreshold: {{ $g.probes.startupFailureThreshold }}
      livenessProbe:
        httpGet: {path: /actuator/health/liveness, port: management}
        periodSeconds: {{ $g.probes.periodSeconds }}
        timeoutSeconds: {{ $g.probes.timeoutSeconds }}
        failureThreshold: {{ $g.probes.livenessFailureThreshold }}
      readinessProbe:
        httpGet: {path: /actuator/health/readiness, port: management}
        periodSeconds: {{ $g.probes.periodSeconds }}
        timeoutSeconds: {{ $g.probes.timeoutSeconds }}
        failureThreshold: {{ $g.probes.readinessFailureThreshold }}
      resources:
        {{- toYaml $ctx.values.resources | nindent 8 }}
      volumeMounts:
        - {name: config, mountPath: /config, readOnly: true}
        - {name: tmp, mountPath: /tmp}
        {{- if $ctx.spec.streams }}
        - {name: state, mountPath: /var/lib/streamfleet/state}
        {{- end }}
        {{- if and (hasSuffix "SSL" $g.kafka.securityProtocol) $g.kafka.tls.existingSecret }}
        - {name: kafka-tls, mountPath: /etc/streamfleet/kafka-tls, readOnly: true}
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ $ctx.fullname }}-config
    - name: tmp
      emptyDir: {}
    {{- if and $ctx.spec.streams (not $ctx.values.persistence.enabled) }}
    - name: state
      emptyDir: {}
    {{- end }}
    {{- if and (hasSuffix "SSL" $g.kafka.securityProtocol) $g.kafka.tls.existingSecret }}
    - name: kafka-tls
      secret:
        secretName: {{ $g.kafka.tls.existingSecret }}
    {{- end }}
  {{- with $g.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $g.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- if $g.affinity }}
  affinity:
    {{- toYaml $g.affinity | nindent 4 }}
  {{- else }}
  affinity:
    podAntiAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
        - weight: 100
          podAffinityTerm:
            topologyKey: kubernetes.io/hostname
            labelSelector:
              matchLabels:
                {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 16 }}
  {{- end }}
{{- end -}}

{{/* Deployment (stateless services) or StatefulSet (Kafka Streams services, state on a volume per pod). */}}
{{- define "streamfleet.workload" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- if $ctx.spec.streams -}}
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {{ $ctx.fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
spec:
  serviceName: {{ include "streamfleet.headlessName" $ctx }}
  replicas: {{ $ctx.values.replicaCount }}
  # pods join the consumer group together; ordered start would only slow down the first rebalance
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  selector:
    matchLabels:
      {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 6 }}
  template:
    {{- include "streamfleet.podTemplate" . | nindent 4 }}
  {{- if $ctx.values.persistence.enabled }}
  volumeClaimTemplates:
    - metadata:
        name: state
        labels:
          {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 10 }}
      spec:
        accessModes:
          {{- toYaml $ctx.values.persistence.accessModes | nindent 10 }}
        {{- with $ctx.values.persistence.storageClass }}
        storageClassName: {{ . | quote }}
        {{- end }}
        resources:
          requests:
            storage: {{ $ctx.values.persistence.size }}
  {{- end }}
{{- else -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $ctx.fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
spec:
  {{- if not (and $ctx.values.autoscaling $ctx.values.autoscaling.enabled) }}
  replicas: {{ $ctx.values.replicaCount }}
  {{- end }}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 0, maxSurge: 1}
  selector:
    matchLabels:
      {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 6 }}
  template:
    {{- include "streamfleet.podTemplate" . | nindent 4 }}
{{- end }}
{{- end -}}

{{- define "streamfleet.services" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $ctx.fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 4 }}
  ports:
    - {name: http, port: {{ $ctx.spec.port }}, targetPort: http, protocol: TCP}
    - {name: management, port: {{ $ctx.spec.managementPort }}, targetPort: management, protocol: TCP}
{{- if $ctx.spec.streams }}
---
# headless: stable per-pod DNS names for Kafka Streams interactive queries (application.server)
apiVersion: v1
kind: Service
metadata:
  name: {{ include "streamfleet.headlessName" $ctx }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
    streamfleet.io/headless: "true"
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 4 }}
  ports:
    - {name: http, port: {{ $ctx.spec.port }}, targetPort: http, protocol: TCP}
{{- end }}
{{- end -}}

{{- define "streamfleet.pdb" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- if $ctx.values.podDisruptionBudget.enabled -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $ctx.fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
spec:
  maxUnavailable: {{ $ctx.values.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "streamfleet.serviceMonitor" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- if and $ctx.values.serviceMonitor.enabled (.root.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ $ctx.fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
    {{- with $ctx.values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 6 }}
  {{- if $ctx.spec.streams }}
  # scrape the regular Service only, not the headless one (same pods)
    matchExpressions:
      - {key: streamfleet.io/headless, operator: DoesNotExist}
  {{- end }}
  endpoints:
    - port: management
      path: /actuator/prometheus
      interval: {{ $ctx.values.serviceMonitor.interval }}
{{- end }}
{{- end -}}

{{/*
NetworkPolicy of one service (networkPolicy.enabled): the API port of ingest-gateway and alert-api from
networkPolicy.apiFrom (empty: from anywhere); a Streams service's port only from its own pods (interactive queries);
the management port from Prometheus, the `helm test` pod and alert-api (the console's pipeline health), and
session-analytics' API also from alert-api (the console's baselines). Egress: DNS, Kafka, a Streams service's own
pods, alert-api's webhook targets and, for alert-api, the other services' management ports and session-analytics' API. Probes come from the node, which NetworkPolicies always allow.
*/}}
{{- define "streamfleet.networkPolicy" -}}
{{- $ctx := include "streamfleet.ctx" . | fromYaml -}}
{{- $np := .root.Values.networkPolicy -}}
{{- if $np.enabled -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $ctx.fullname }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "streamfleet.labels" (dict "root" .root "component" .name) | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    {{- if $ctx.spec.streams }}
    - from:
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 14 }}
        {{- if eq .name "session-analytics" }}
        # the console's engagement-drop chart reads a user's baseline through alert-api
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" .root "component" "alert-api") | nindent 14 }}
        {{- end }}
      ports:
        - {port: http, protocol: TCP}
    {{- else }}
    - ports:
        - {port: http, protocol: TCP}
      {{- with $np.apiFrom }}
      from:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
    - from:
        - {{- toYaml $np.prometheus | nindent 10 }}
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" .root "component" "test") | nindent 14 }}
        {{- if ne .name "alert-api" }}
        # the console's pipeline health asks each service's /actuator/health through alert-api
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" .root "component" "alert-api") | nindent 14 }}
        {{- end }}
      ports:
        - {port: management, protocol: TCP}
  egress:
    - ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
    - ports:
        {{- range $np.kafka.ports }}
        - {port: {{ . }}, protocol: TCP}
        {{- end }}
      {{- if .root.Values.devKafka.enabled }}
      to:
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" .root "component" "dev-kafka") | nindent 14 }}
      {{- else if $np.kafka.to }}
      to:
        {{- toYaml $np.kafka.to | nindent 8 }}
      {{- end }}
    {{- if $ctx.spec.streams }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" .root "component" .name) | nindent 14 }}
      ports:
        - {port: {{ $ctx.spec.port }}, protocol: TCP}
    {{- end }}
    {{- if eq .name "alert-api" }}
    # console: the other services' management ports (health) and session-analytics' API (baselines)
    {{- $registry := include "streamfleet.registry" .root | fromYaml }}
    {{- range $name := list "ingest-gateway" "stream-processor" "cep-detector" "session-analytics" }}
    {{- $spec := get $registry $name }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "streamfleet.selectorLabels" (dict "root" $.root "component" $name) | nindent 14 }}
      ports:
        - {port: {{ $spec.managementPort }}, protocol: TCP}
        {{- if eq $name "session-analytics" }}
        - {port: {{ $spec.port }}, protocol: TCP}
        {{- end }}
    {{- end }}
    {{- with $np.webhookEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
    {{- end }}
{{- end }}
{{- end -}}
