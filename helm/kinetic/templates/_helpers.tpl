{{/* Pod and container security for Pod Security Standard "restricted". The argument is the seccomp
profile: RuntimeDefault, or a Localhost profile (values.schema.json admits no other). */}}
{{- define "kinetic.podSecurity" -}}
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  seccompProfile: {{- toYaml . | nindent 4 }}
{{- end }}

{{- define "kinetic.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  runAsNonRoot: true
  capabilities:
    drop: ["ALL"]
{{- end }}

{{- define "kinetic.labels" -}}
app.kubernetes.io/part-of: kinetic
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}
