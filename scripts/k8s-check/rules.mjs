// The references between the objects of the manifests, which no schema sees: selectors that select, ports that are
// declared where probes, Services and the Ingress name them, objects that exist where others refer to them, and the
// few settings Orleans' Kubernetes hosting and the front-ends need to agree on.

const clusterScoped = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass"]);
const workloadKinds = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** The containers (and init containers) of a workload's pod template. */
export function containersOf(doc) {
  const spec = doc?.spec?.template?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
}

/** Every problem found, worded "file Kind/name: what is wrong"; and the Secrets the manifests expect to be created apart. */
export function checkReferences(all) {
  const problems = [];
  const objects = all.filter((o) => o.doc && typeof o.doc === "object");
  const find = (kind, namespace, name) => objects.find((o) => o.doc.kind === kind && o.doc.metadata?.name === name && (clusterScoped.has(kind) || o.doc.metadata?.namespace === namespace));
  find.bindings = (namespace) => objects.filter((o) => o.doc.kind === "RoleBinding" && o.doc.metadata?.namespace === namespace);
  const workloads = objects.filter((o) => workloadKinds.has(o.doc.kind));
  const selected = (selector, namespace) => workloads.filter((w) => w.doc.metadata?.namespace === namespace && matches(selector, w.doc.spec?.template?.metadata?.labels));

  const seen = new Set();
  for (const o of objects) {
    const { kind, metadata = {} } = o.doc;
    const report = (message) => problems.push(`${o.file} ${o.name}: ${message}`);
    const key = `${kind}/${metadata.namespace ?? ""}/${metadata.name}`;
    if (seen.has(key)) report("defined twice");
    seen.add(key);
    if (!clusterScoped.has(kind)) {
      if (!metadata.namespace) report("has no metadata.namespace");
      else if (!find("Namespace", null, metadata.namespace)) report(`namespace ${metadata.namespace} is not defined`);
    }
  }

  for (const w of workloads) {
    checkWorkload(w, workloads, find, (message) => problems.push(`${w.file} ${w.name}: ${message}`));
  }

  for (const o of objects) {
    const { kind, metadata = {}, spec = {} } = o.doc;
    const report = (message) => problems.push(`${o.file} ${o.name}: ${message}`);
    const namespace = metadata.namespace;
    if (kind === "Service") {
      const pods = selected(spec.selector, namespace);
      if (!spec.selector || pods.length === 0) report("its selector selects no workload's pods");
      for (const port of spec.ports ?? []) {
        const target = port.targetPort ?? port.port;
        for (const w of pods) {
          if (!declaresPort(containersOf(w.doc), target)) report(`port ${port.name ?? port.port} targets ${target}, which ${w.name} does not declare`);
        }
      }
    } else if (kind === "PodDisruptionBudget") {
      const pods = selected(spec.selector?.matchLabels, namespace);
      if (pods.length !== 1) report(`its selector selects ${pods.length} workloads, not one`);
      if (spec.minAvailable === undefined && spec.maxUnavailable === undefined) report("sets neither minAvailable nor maxUnavailable");
      const replicas = pods[0]?.doc.spec?.replicas ?? 1;
      if (Number.isInteger(spec.minAvailable) && spec.minAvailable >= replicas) report(`minAvailable ${spec.minAvailable} of ${replicas} replicas allows no disruption`);
      if (spec.maxUnavailable === 0) report("maxUnavailable 0 allows no disruption");
    } else if (kind === "Ingress") {
      const hosts = (spec.rules ?? []).map((r) => r.host);
      for (const tls of spec.tls ?? []) {
        for (const host of tls.hosts ?? []) if (!hosts.includes(host)) report(`TLS host ${host} has no rule`);
      }
      for (const path of (spec.rules ?? []).flatMap((r) => r.http?.paths ?? [])) {
        const backend = path.backend?.service;
        const service = backend && find("Service", namespace, backend.name);
        if (!service) {
          report(`path ${path.path} goes to Service ${backend?.name}, which is not defined`);
          continue;
        }
        const ports = service.doc.spec?.ports ?? [];
        if (!ports.some((p) => (backend.port?.name ? p.name === backend.port.name : p.port === backend.port?.number))) {
          report(`path ${path.path} goes to port ${backend.port?.name ?? backend.port?.number} of ${service.name}, which it does not expose`);
        }
      }
    } else if (kind === "RoleBinding") {
      if (!find(o.doc.roleRef?.kind, namespace, o.doc.roleRef?.name)) report(`roleRef ${o.doc.roleRef?.kind}/${o.doc.roleRef?.name} is not defined`);
      for (const subject of o.doc.subjects ?? []) {
        if (subject.kind === "ServiceAccount" && !find("ServiceAccount", subject.namespace, subject.name)) report(`subject ServiceAccount ${subject.namespace}/${subject.name} is not defined`);
      }
    }
  }

  checkOrigins(objects, workloads, problems);
  const secrets = externalSecrets(workloads, find);
  for (const i of objects.filter((o) => o.doc.kind === "Ingress")) {
    for (const tls of i.doc.spec?.tls ?? []) if (tls.secretName && !find("Secret", i.doc.metadata?.namespace, tls.secretName)) secrets.push(`${tls.secretName} (TLS)`);
  }
  return { problems, externalSecrets: secrets.sort() };
}

/** Selector, ports, probes, hooks, environment, volumes and account of one workload. */
function checkWorkload(w, workloads, find, report) {
  const { metadata = {}, spec = {} } = w.doc;
  const namespace = metadata.namespace;
  const pod = spec.template?.spec ?? {};
  const labels = spec.template?.metadata?.labels ?? {};
  const selector = spec.selector?.matchLabels;
  if (!selector || !matches(selector, labels)) report("spec.selector.matchLabels does not match the pod template's labels");
  for (const other of workloads) {
    if (other !== w && other.doc.metadata?.namespace === namespace && matches(selector, other.doc.spec?.template?.metadata?.labels)) report(`its selector also selects the pods of ${other.name}`);
  }
  if (pod.serviceAccountName && !find("ServiceAccount", namespace, pod.serviceAccountName)) report(`ServiceAccount ${pod.serviceAccountName} is not defined`);
  if (w.doc.kind === "StatefulSet" && !find("Service", namespace, spec.serviceName)) report(`serviceName ${spec.serviceName} is not a Service here`);

  const containers = containersOf(w.doc);
  const volumes = new Set([...(pod.volumes ?? []), ...(spec.volumeClaimTemplates ?? []).map((t) => t.metadata ?? {})].map((v) => v.name));
  const grace = pod.terminationGracePeriodSeconds ?? 30;
  unique(containers.map((c) => c.name), (name) => report(`two containers are named ${name}`));
  for (const c of containers) {
    const where = `container ${c.name}`;
    const ports = c.ports ?? [];
    unique(ports.map((p) => p.name).filter(Boolean), (name) => report(`${where}: two ports are named ${name}`));
    unique(ports.map((p) => p.containerPort), (port) => report(`${where}: port ${port} is declared twice`));
    for (const p of ports) {
      if (p.name && !/^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p.name)) report(`${where}: port name ${p.name} is not a valid port name (at most 15 of a-z, 0-9, -)`);
    }
    for (const probe of ["startupProbe", "livenessProbe", "readinessProbe"]) {
      const handler = c[probe];
      const port = handler?.httpGet?.port ?? handler?.tcpSocket?.port ?? handler?.grpc?.port;
      if (port !== undefined && !declaresPort([c], port)) report(`${where}: ${probe} uses port ${port}, which the container does not declare`);
    }
    const sleep = c.lifecycle?.preStop?.exec?.command;
    if (Array.isArray(sleep) && sleep[0] === "sleep" && !(Number(sleep[1]) < grace)) report(`${where}: preStop sleeps ${sleep[1]} s of a ${grace} s grace period`);
    const defined = new Set();
    for (const e of c.env ?? []) {
      if (defined.has(e.name)) report(`${where}: env ${e.name} is set twice`);
      for (const [, ref] of String(e.value ?? "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)) {
        if (!defined.has(ref)) report(`${where}: env ${e.name} refers to $(${ref}), which is not set before it`);
      }
      defined.add(e.name);
      const configMapKey = e.valueFrom?.configMapKeyRef;
      if (configMapKey && !configMapKey.optional) {
        const map = find("ConfigMap", namespace, configMapKey.name);
        if (!map || !(configMapKey.key in (map.doc.data ?? {}))) report(`${where}: env ${e.name} reads ${configMapKey.name}/${configMapKey.key}, which is not defined`);
      }
    }
    for (const from of c.envFrom ?? []) {
      if (from.configMapRef && !from.configMapRef.optional && !find("ConfigMap", namespace, from.configMapRef.name)) report(`${where}: envFrom ConfigMap ${from.configMapRef.name} is not defined`);
    }
    for (const mount of c.volumeMounts ?? []) {
      if (!volumes.has(mount.name)) report(`${where}: volumeMount ${mount.name} has no volume`);
    }
  }

  const annotations = spec.template?.metadata?.annotations ?? {};
  if (annotations["prometheus.io/scrape"] === "true" && !declaresPort(containers, Number(annotations["prometheus.io/port"]))) report(`prometheus.io/port ${annotations["prometheus.io/port"]} is not a container port`);
  checkOrleansHosting(w, labels, containers, find, report);
}

/**
 * A silo with Orleans' Kubernetes hosting: the pod labels by which the hosting finds its cluster's pods equal the ids
 * the silo is configured with, the pod's name and namespace are in its environment, and its account may read and label
 * pods. A pod with one of those labels but without the hosting would be listed as a silo that is not there.
 */
function checkOrleansHosting(w, labels, containers, find, report) {
  const namespace = w.doc.metadata?.namespace;
  const hosted = containers.filter((c) => environment(c, namespace, find).Orleans__KubernetesHosting === "true");
  const labelled = "orleans/clusterId" in labels || "orleans/serviceId" in labels;
  if (!labelled && hosted.length === 0) return;
  if (hosted.length === 0) {
    report("carries orleans/clusterId or orleans/serviceId labels but no container sets Orleans__KubernetesHosting=true");
    return;
  }
  for (const c of hosted) {
    const env = environment(c, namespace, find);
    for (const [label, setting] of [["orleans/clusterId", "Orleans__ClusterId"], ["orleans/serviceId", "Orleans__ServiceId"]]) {
      if (labels[label] !== (env[setting] ?? "orleanstabs")) report(`label ${label}=${labels[label]} differs from ${setting}=${env[setting] ?? "orleanstabs (default)"} of container ${c.name}`);
    }
    for (const [name, path] of [["POD_NAME", "metadata.name"], ["POD_NAMESPACE", "metadata.namespace"]]) {
      const e = (c.env ?? []).find((x) => x.name === name);
      if (e?.valueFrom?.fieldRef?.fieldPath !== path) report(`container ${c.name}: ${name} must come from the field ${path}`);
    }
  }
  const account = w.doc.spec?.template?.spec?.serviceAccountName ?? "default";
  const verbs = new Set();
  for (const o of rolesOf(account, namespace, find)) {
    for (const rule of o.doc.rules ?? []) {
      if ((rule.apiGroups ?? []).includes("") && (rule.resources ?? []).includes("pods")) rule.verbs.forEach((v) => verbs.add(v));
    }
  }
  for (const verb of ["get", "list", "watch", "patch"]) {
    if (!verbs.has(verb)) report(`ServiceAccount ${account} may not ${verb} pods, which Orleans' Kubernetes hosting does`);
  }
}

/** The Roles bound to a ServiceAccount in its namespace. */
function rolesOf(account, namespace, find) {
  return find.bindings(namespace)
    .filter((b) => (b.doc.subjects ?? []).some((s) => s.kind === "ServiceAccount" && s.name === account && s.namespace === namespace))
    .map((b) => find(b.doc.roleRef?.kind, namespace, b.doc.roleRef?.name))
    .filter(Boolean);
}

/** A container's literal settings: its ConfigMaps (envFrom) overlaid with its own env values. */
function environment(c, namespace, find) {
  const env = {};
  for (const from of c.envFrom ?? []) {
    const map = from.configMapRef && find("ConfigMap", namespace, from.configMapRef.name);
    Object.assign(env, map?.doc.data ?? {});
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
  }
  return env;
}

/** The front-ends' allowed origins name the Ingress's hosts, with https where the Ingress terminates TLS for them. */
function checkOrigins(objects, workloads, problems) {
  const ingresses = objects.filter((o) => o.doc.kind === "Ingress");
  if (ingresses.length === 0) return;
  const hosts = new Map();
  for (const i of ingresses) {
    const tls = new Set((i.doc.spec?.tls ?? []).flatMap((t) => t.hosts ?? []));
    for (const rule of i.doc.spec?.rules ?? []) hosts.set(rule.host, tls.has(rule.host) ? "https:" : "http:");
  }
  for (const w of workloads) {
    for (const c of containersOf(w.doc)) {
      for (const e of c.env ?? []) {
        if (!/^OrleansTabs__Sockets__AllowedOrigins__\d+$/.test(e.name) || e.value === undefined) continue;
        let origin;
        try {
          origin = new URL(e.value);
        } catch {
          problems.push(`${w.file} ${w.name}: ${e.name}=${e.value} is not an origin`);
          continue;
        }
        if (hosts.get(origin.host) !== origin.protocol) problems.push(`${w.file} ${w.name}: ${e.name}=${e.value} is not an origin the Ingress serves (${[...hosts].map(([h, p]) => `${p}//${h}`).join(", ")})`);
      }
    }
  }
}

/** The Secrets the workloads read that the manifests do not define: created apart, by name and key. */
function externalSecrets(workloads, find) {
  const out = new Set();
  for (const w of workloads) {
    for (const c of containersOf(w.doc)) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && !find("Secret", w.doc.metadata?.namespace, ref.name)) out.add(`${ref.name} (${ref.key})`);
      }
    }
  }
  return [...out].sort();
}

function matches(selector, labels) {
  if (!selector || !labels || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function declaresPort(containers, port) {
  const ports = containers.flatMap((c) => c.ports ?? []);
  return typeof port === "string" ? ports.some((p) => p.name === port) : ports.some((p) => p.containerPort === port);
}

function unique(values, onDuplicate) {
  const seen = new Set();
  for (const v of values) {
    if (seen.has(v)) onDuplicate(v);
    seen.add(v);
  }
}
