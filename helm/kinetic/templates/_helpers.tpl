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

{{/* Where a component's pods run and how their images are pulled: the admin's priorityClassName,
nodeSelector, tolerations and affinity (without one, its replicas prefer different nodes, so a
node's loss leaves one), and image.pullSecrets. The argument: dict "component" (its values),
"name" (its app.kubernetes.io/name) and "pullSecrets". */}}
{{- define "kinetic.placement" -}}
{{- with .pullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.priorityClassName }}
priorityClassName: {{ . | quote }}
{{- end }}
{{- with .component.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .component.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .component.affinity }}
affinity: {{- toYaml .component.affinity | nindent 2 }}
{{- else }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels: {app.kubernetes.io/name: {{ .name }}}
{{- end }}
{{- end }}
