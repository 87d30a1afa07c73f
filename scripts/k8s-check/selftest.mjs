// The check can fail: each case breaks the real manifests in memory in one way and asserts that the check reports it
// (and that the unbroken manifests pass). Run by scripts/check-k8s.sh after the check itself.
//
//   node selftest.mjs <the folders check.mjs is given>...
import { checkObjects, loadFolders } from "./check.mjs";

const { objects, problems: loadProblems } = loadFolders(process.argv.slice(2));
if (loadProblems.length > 0) throw new Error(loadProblems.join("\n"));

const byName = (objs, name) => objs.find((o) => o.name === name).doc;
const container = (objs, workload) => byName(objs, `Deployment/${workload}`).spec.template.spec.containers[0];
const env = (c, name) => c.env.find((e) => e.name === name);

/** [what is broken, how, a piece of the problem it must cause, whether the unknown-field check is needed]. */
const cases = [
  ["a replica count of the wrong type", (o) => { byName(o, "Deployment/orleanstabs-silo").spec.replicas = "two"; }, "must be integer"],
  ["a container without a name", (o) => { delete container(o, "orleanstabs-web").name; }, "must have required property name"],
  ["a misspelt field", (o) => { container(o, "orleanstabs-web").readinesProbe = {}; }, "readinesProbe", true],
  ["a kind the API has not", (o) => { byName(o, "Service/orleanstabs-web").apiVersion = "apps/v1"; }, "is not a kind of the Kubernetes API"],
  ["a probe on an undeclared port", (o) => { container(o, "orleanstabs-silo").readinessProbe.httpGet.port = "web"; }, "readinessProbe uses port web"],
  ["a Service targeting an undeclared port", (o) => { byName(o, "Service/orleanstabs-silo").spec.ports[1].targetPort = "metrics"; }, "targets metrics"],
  ["a selector that selects nothing", (o) => { byName(o, "Service/orleanstabs-web").spec.selector = { "app.kubernetes.io/name": "web" }; }, "selects no workload"],
  ["a Deployment whose selector misses its pods", (o) => { byName(o, "Deployment/orleanstabs-web").spec.selector.matchLabels.tier = "x"; }, "does not match the pod template"],
  ["a PodDisruptionBudget that blocks every disruption", (o) => { byName(o, "PodDisruptionBudget/orleanstabs-web").spec.maxUnavailable = 0; }, "allows no disruption"],
  ["an Ingress to a missing port", (o) => { byName(o, "Ingress/orleanstabs").spec.rules[0].http.paths[0].backend.service.port.name = "web"; }, "does not expose"],
  ["silo labels that differ from its cluster id", (o) => { byName(o, "ConfigMap/orleanstabs-cluster").data.Orleans__ClusterId = "other"; }, "label orleans/clusterId=orleanstabs differs"],
  ["a Role without watch", (o) => { byName(o, "Role/orleanstabs-silo").rules[0].verbs = ["get", "list", "patch"]; }, "may not watch pods"],
  ["an env reference to a later variable", (o) => { const c = container(o, "orleanstabs-silo"); c.env.push(c.env.splice(c.env.findIndex((e) => e.name === "POD_IP"), 1)[0]); }, "refers to $(POD_IP)"],
  ["a preStop longer than the grace period", (o) => { byName(o, "Deployment/orleanstabs-web").spec.template.spec.terminationGracePeriodSeconds = 5; }, "preStop sleeps 5 s of a 5 s"],
  ["an origin the Ingress does not serve", (o) => { env(container(o, "orleanstabs-web"), "OrleansTabs__Sockets__AllowedOrigins__0").value = "http://tabs.example.com"; }, "is not an origin the Ingress serves"],
  ["a scrape port that is not declared", (o) => { byName(o, "Deployment/orleanstabs-web").spec.template.metadata.annotations["prometheus.io/port"] = "9091"; }, "prometheus.io/port 9091"],
  ["a missing ServiceAccount", (o) => { byName(o, "Deployment/orleanstabs-web").spec.template.spec.serviceAccountName = "nobody"; }, "ServiceAccount nobody is not defined"],
];

const failures = [];
const clean = await checkObjects(structuredClone(objects));
if (clean.problems.length > 0) failures.push(`the unbroken manifests: ${clean.problems.join("; ")}`);
for (const [what, breakIt, expected, types = false] of cases) {
  const copy = structuredClone(objects);
  breakIt(copy);
  const { problems } = await checkObjects(copy, { types });
  if (!problems.some((p) => p.includes(expected))) failures.push(`${what}: expected a problem with "${expected}", got ${problems.length === 0 ? "none" : problems.join("; ")}`);
}

if (failures.length > 0) {
  for (const f of failures) console.error(`check-k8s self-test: ${f}`);
  process.exit(1);
}
console.log(`check-k8s self-test: ${cases.length} broken variants each reported`);
