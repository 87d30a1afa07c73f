// Checks Kubernetes manifest folders without a cluster: every object against the Kubernetes API's JSON schema (the
// validators kubernetes-models generates from the API's OpenAPI document: types, required fields, formats), then for
// fields the schema does not know (TypeScript's excess-property check over the same models' types, as kubeconform's
// -strict does), then the references between the objects (rules.mjs).
//
//   node check.mjs <folder with a kustomization.yaml>...
//
// selftest.mjs breaks the manifests in memory, one way at a time, and asserts that each break is reported.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { parseAllDocuments } from "yaml";
import { checkReferences, containersOf } from "./rules.mjs";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The problems of some objects (each { doc, file, index, name }), worded "file Kind/name: what is wrong", and the
 * Secrets they expect to be created apart. <types> false skips the unknown-field check (the slowest part).
 */
export async function checkObjects(objects, { types = true } = {}) {
  const problems = [];
  if (objects.length === 0) problems.push("no manifests given");
  for (const o of objects) {
    await checkSchema(o, problems);
  }
  if (types) checkUnknownFields(objects, problems);
  const references = checkReferences(objects);
  problems.push(...references.problems);
  return { problems, externalSecrets: references.externalSecrets };
}

/** The objects of some folders, and the problems of their kustomization.yaml files and YAML. */
export function loadFolders(folders) {
  const problems = [];
  const objects = folders.flatMap((folder) => loadFolder(resolve(folder), problems));
  return { objects, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const loaded = loadFolders(process.argv.slice(2));
  const checked = await checkObjects(loaded.objects);
  const problems = [...loaded.problems, ...checked.problems];
  for (const problem of problems) {
    console.error(`check-k8s: ${problem}`);
  }
  if (problems.length > 0) process.exit(1);
  const files = new Set(loaded.objects.map((o) => o.file)).size;
  console.log(`check-k8s: ${loaded.objects.length} objects in ${files} files valid (schema, unknown fields, references)`);
  console.log(`check-k8s: Secrets to create apart: ${checked.externalSecrets.join(", ") || "none"}`);
}

/** The objects of the files a folder's kustomization.yaml lists; a manifest it does not list is a problem too. */
function loadFolder(folder, problems) {
  const kustomization = parseFile(join(folder, "kustomization.yaml"), problems)[0] ?? {};
  const where = relative(process.cwd(), join(folder, "kustomization.yaml"));
  const known = new Set(["apiVersion", "kind", "resources", "images"]);
  for (const key of Object.keys(kustomization)) {
    if (!known.has(key)) problems.push(`${where}: unexpected field ${key}`);
  }
  if (kustomization.kind !== "Kustomization") problems.push(`${where}: kind must be Kustomization`);
  const listed = kustomization.resources ?? [];
  const manifests = readdirSync(folder).filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml");
  for (const file of manifests) {
    if (!listed.includes(file)) problems.push(`${where}: ${file} is not among its resources`);
  }

  const loaded = [];
  for (const file of listed) {
    const path = join(folder, file);
    parseFile(path, problems).forEach((doc, index) => {
      loaded.push({ doc, file: relative(process.cwd(), path), index, name: `${doc?.kind}/${doc?.metadata?.name}` });
    });
  }
  const images = new Set(loaded.flatMap((o) => containersOf(o.doc)).map((c) => c.image));
  for (const image of kustomization.images ?? []) {
    if (!images.has(image.name)) problems.push(`${where}: images names ${image.name}, which no container uses`);
  }
  return loaded;
}

/** The documents of a YAML file; a syntax error or a duplicate key is a problem. */
function parseFile(path, problems) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    problems.push(`${relative(process.cwd(), path)}: missing`);
    return [];
  }
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const out = [];
  for (const doc of docs) {
    for (const error of [...doc.errors, ...doc.warnings]) {
      problems.push(`${relative(process.cwd(), path)}: ${error.message}`);
    }
    const value = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

/** The module of kubernetes-models that holds an object's model: core v1 at the root, groups by name. */
function modelPath(doc) {
  const [group, version] = String(doc.apiVersion ?? "").includes("/") ? doc.apiVersion.split("/") : [null, doc.apiVersion];
  return `kubernetes-models/${group ? `${group}/` : ""}${version}/${doc.kind}`;
}

async function checkSchema(o, problems) {
  if (!o.doc.apiVersion || !o.doc.kind) {
    problems.push(`${o.file} #${o.index}: apiVersion and kind are required`);
    return;
  }
  let model;
  try {
    model = (await import(modelPath(o.doc)))[o.doc.kind];
  } catch {
    model = undefined;
  }
  if (!model) {
    problems.push(`${o.file} ${o.name}: ${o.doc.apiVersion} ${o.doc.kind} is not a kind of the Kubernetes API`);
    o.unknownKind = true;
    return;
  }
  try {
    new model(o.doc).validate();
  } catch (error) {
    for (const line of String(error.message).split("\n")) problems.push(`${o.file} ${o.name}: ${line}`);
  }
}

/** Fields the schema ignores (Kubernetes' schemas allow any extra field) are found by typing each object. */
function checkUnknownFields(all, problems) {
  const typed = all.filter((o) => !o.unknownKind && o.doc.kind);
  const lines = typed.map((o, i) => `import type { I${o.doc.kind} as T${i} } from "${modelPath(o.doc)}";`);
  const first = lines.length;
  typed.forEach((o, i) => lines.push(`export const o${i}: T${i} = ${JSON.stringify(o.doc)};`));

  const file = join(here, "manifests.generated.ts");
  const options = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const source = lines.join("\n");
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, ...rest) => (name === file ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022) : getSourceFile.call(host, name, ...rest));
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? source : readFile.call(host, name));

  const program = ts.createProgram([file], options, host);
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ");
    if (d.file?.fileName !== file) {
      problems.push(`TypeScript: ${message}`);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
    const o = typed[line - first];
    problems.push(o ? `${o.file} ${o.name}: ${message}` : `TypeScript: ${message}`);
  }
}
