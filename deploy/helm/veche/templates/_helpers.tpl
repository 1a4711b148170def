{{/* Names and labels shared by every template. */}}
{{- define "veche.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "veche.labels" -}}
app.kubernetes.io/part-of: veche
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "veche.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The workloads: one per process, and one per partition of a partitioned process. */}}
{{- define "veche.workloads" -}}
{{- $out := list -}}
{{- range $name, $p := .Values.processes -}}
{{- if $p.partitions -}}
{{- range $i := until (int $p.partitions) -}}
{{- $env := dict "PARTITIONS" (toString $p.partitions) "OWNED_PARTITIONS" (printf "[%d]" $i) -}}
{{- $out = append $out (dict "name" (printf "%s-%d" $name $i) "process" $name "p" $p "extraEnv" $env "partitioned" true) -}}
{{- end -}}
{{- else -}}
{{- $out = append $out (dict "name" $name "process" $name "p" $p "extraEnv" (dict) "partitioned" false) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* The environment of one workload: settings every process has, then its own, then its secrets. */}}
{{- define "veche.env" -}}
{{- $root := .root -}}{{- $p := .w.p -}}{{- $prefix := $p.envPrefix -}}
- name: {{ $prefix }}ENVIRONMENT
  value: {{ $root.Values.environment | quote }}
- name: {{ $prefix }}NATS_URL
  value: {{ required "nats.url is required" $root.Values.nats.url | quote }}
- name: {{ $prefix }}MONGODB_URL
  valueFrom:
    secretKeyRef:
      name: {{ required "mongodb.existingSecret is required" $root.Values.mongodb.existingSecret }}
      key: {{ $root.Values.mongodb.urlKey }}
- name: {{ $prefix }}HTTP_HOST
  value: "0.0.0.0"
- name: {{ $prefix }}HTTP_PORT
  value: {{ $p.port | quote }}
- name: {{ $prefix }}STREAM_REPLICAS
  value: {{ $root.Values.nats.streamReplicas | quote }}
- name: {{ $prefix }}NATS_PLAINTEXT
  value: {{ $root.Values.nats.plaintext | quote }}
{{- range $name, $value := .w.extraEnv }}
- name: {{ $prefix }}{{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $value := $p.env }}
- name: {{ $prefix }}{{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- range $name, $ref := $p.secretEnv }}
- name: {{ $prefix }}{{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ required (printf "secrets.%s.existingSecret is required" $ref.secret) (index $root.Values.secrets $ref.secret).existingSecret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}

{{- define "veche.probe" -}}
httpGet:
  path: {{ .probe.path }}
  port: http
periodSeconds: {{ .probe.periodSeconds }}
failureThreshold: {{ .probe.failureThreshold }}
{{- with .probe.timeoutSeconds }}
timeoutSeconds: {{ . }}
{{- end }}
{{- end -}}
