/*
 * help_topics.c - `depcheck help TOPIC` and the depcheck-TOPIC(7) pages:
 * what is not one command's (input and output formats, the policy file,
 * what DOWN and DEGRADED mean, the JSON conventions). The reference stays
 * in docs/; these are the terminal-sized summaries, at most 78 columns a
 * line (tests/check_help.sh measures them).
 */
#include "cli.h"

#include <string.h>

static const cli_topic topics[] = {
	{ "formats", "input formats read, output formats written",
	  "Inputs (detected from each file's content; --input-format overrides):\n"
	  "  native       depcheck's YAML or JSON: depcheck: 1, services: [...]\n"
	  "  backstage    Backstage catalog entities (Component, Resource, API, ...)\n"
	  "  kubernetes   manifests: Deployments, Services, env references\n"
	  "  compose      Compose files: depends_on, links, environment hosts\n"
	  "  dot          a Graphviz digraph: nodes are services, edges dependencies\n"
	  "\n"
	  "A directory is walked for *.yaml *.yml *.json *.dot *.gv, in sorted order;\n"
	  "- reads standard input. Several inputs merge into one catalog.\n"
	  "\n"
	  "Outputs (-f, the first of a command's list is its default):\n"
	  "  text     for people: sections, at most --width columns on a terminal\n"
	  "  json     for programs: one object with \"command\" (depcheck help json)\n"
	  "  yaml     export: the normalized catalog in the native schema;\n"
	  "           verify: the overlay that makes the model match\n"
	  "  dot      export, render, diff: a Graphviz graph\n"
	  "  svg, png, pdf\n"
	  "           render: a laid-out map (png and pdf are refused on a terminal)\n"
	  "  sarif    check, reconcile: code scanning results\n"
	  "  junit    check: one testcase per rule\n"
	  "  github   check, reconcile: workflow annotations\n"
	  "  html     report: one self-contained page (-o report.html)\n"
	  "  chaos-mesh, litmus, aws-fis\n"
	  "           experiments: Chaos Mesh and LitmusChaos resources (YAML),\n"
	  "           AWS FIS experiment templates (JSON)\n"
	  "\n"
	  "The reference: docs/inputs.md, docs/commands.md and docs/chaos.md.\n" },
	{ "policy", "the policy file that check, diff and report enforce",
	  "A policy is YAML: a version and rules, each given a severity (error,\n"
	  "warning or off) or a mapping with severity and the rule's options:\n"
	  "\n"
	  "  depcheck-policy: 1\n"
	  "  rules:\n"
	  "    no-hard-cycles: error\n"
	  "    max-blast-radius: { severity: warning, max: 25% }\n"
	  "    required-fields: { fields: [owner, tier] }\n"
	  "    forbidden:\n"
	  "      - name: payments-db-is-private\n"
	  "        from: { not: { system: payments } }\n"
	  "        to: { name: payments-db }\n"
	  "\n"
	  "Rules a policy does not name are off. Unknown rules, options and keys are\n"
	  "errors at their line and column (with the closest known name): a gate\n"
	  "never runs half a policy. 'depcheck check --print-default-policy' prints\n"
	  "the built-in policy, which check uses without --policy.\n"
	  "\n"
	  "Rules: valid-input, no-hard-cycles, no-cycles, tier, max-blast-radius,\n"
	  "max-depth, max-fan-in, max-fan-out, max-retry-amplification,\n"
	  "timeout-budget, no-spof, required-fields, unresolved-references,\n"
	  "undeclared-dependency, min-availability, forbidden.\n"
	  "\n"
	  "The reference (every rule's options and defaults): docs/commands.md,\n"
	  "\"Policy reference\".\n" },
	{ "semantics", "what DOWN, DEGRADED, blast radius and SPOF mean",
	  "A service is UP, DEGRADED or DOWN.\n"
	  "\n"
	  "DOWN: it failed, or a hard dependency is DOWN, or every member of one of\n"
	  "its any_of groups is DOWN.\n"
	  "DEGRADED (when not DOWN): a soft dependency is DOWN or DEGRADED, a hard\n"
	  "one is DEGRADED, an any_of group lost some members, or it lost some but\n"
	  "not all of its zones.\n"
	  "\n"
	  "Selectors (simulate --fail, render --highlight): a service NAME (any\n"
	  "unique form: name, namespace/name, kind:namespace/name), zone:Z,\n"
	  "system:S, owner:O or tag:T.\n"
	  "\n"
	  "Time to impact: with failure mode hang (the default) a caller notices a\n"
	  "failed hard dependency after timeout_ms x (retries + 1); times add along\n"
	  "the chain. With mode error a hop costs 0.\n"
	  "\n"
	  "Blast radius of X: the other services that go DOWN (and, apart, DEGRADED)\n"
	  "when X alone fails. A single point of failure (SPOF) is a service whose\n"
	  "lone failure takes an entrypoint DOWN. Retry amplification: how many\n"
	  "times one user request can reach a service, the largest product of\n"
	  "(retries + 1) over the paths to it.\n"
	  "\n"
	  "The reference: docs/model.md.\n" },
	{ "json", "the conventions of -f json",
	  "Every command's -f json is one object whose \"command\" key names the\n"
	  "command ({\"command\":\"analyze\", ...}); the keys of each are listed in\n"
	  "docs/commands.md. The conventions:\n"
	  "\n"
	  "- services are named by their display name; a dependency carries its\n"
	  "  \"file\", \"line\" and \"column\" where it was written;\n"
	  "- output stays bounded: a list with a row per service or finding, or\n"
	  "  whose rows grow with N (paths), is cut by default (--list-limit,\n"
	  "  --limit or --top: 100 rows), with the total and a \"truncated\" (or\n"
	  "  \"..._truncated\") key; --all lists everything;\n"
	  "- the complete dump at scale is -f jsonl (analyze, check): one JSON\n"
	  "  record a line, streamed, each with a \"type\";\n"
	  "- times are in milliseconds (keys ending in _ms);\n"
	  "- keys are only ever added: a consumer ignores keys it does not know.\n"
	  "\n"
	  "Examples:\n"
	  "  depcheck analyze catalog.yaml -f json | jq '.spofs[].service'\n"
	  "  depcheck check catalog.yaml -f json | jq '.violations_total'\n" },
	{ NULL, NULL, NULL }
};

const cli_topic *cli_topics(void)
{
	return topics;
}
