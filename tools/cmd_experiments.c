/*
 * cmd_experiments.c - `depcheck experiments PATH...`: the chaos experiments
 * that test the riskiest predictions first (depcheck/chaos.h), written for
 * Chaos Mesh, LitmusChaos or AWS FIS, or as text / JSON (docs/chaos.md).
 *
 * The ranking uses the importance `depcheck availability` computes with its
 * defaults (seed 1): dc_availability_compute() without cut sets, then
 * dc_experiments_plan(). `verify` (cmd_verify.c) makes the same plan
 * through cli_experiments_plan(), so that the ids match.
 *
 * Exit status: 0 (a plan is not a gate); 2 for usage errors and input that
 * cannot be analyzed.
 */
#include "cli.h"

#include <stdlib.h>

static struct {
	size_t top;
	uint64_t duration;
	const char *ns, *litmus_sa, *role, *cluster, *aws_sa, *alarm;
	int mode_given;
	dc_failure_mode mode;
} o;

static int failure_mode(cli *c, const cli_opt *opt, const char *arg)
{
	(void)opt;
	if (dc_failure_mode_parse(&o.mode, arg))
		return cli_usage_error(c, "--failure-mode takes hang or error, not '%s'", arg);
	return -1;
}

static const cli_opt opts[] = {
	{ .name = "top", .type = CLI_OPT_SIZE, .value = &o.top, .min = 1, .max = 1000,
	  .expect = "a number from 1 to 1000", .help = "N  the N riskiest experiments (default 10, at most 1000)" },
	{ .name = "duration", .type = CLI_OPT_U64, .value = &o.duration, .min = 1, .max = 86400,
	  .expect = "seconds from 1 to 86400", .help = "S  how long each fault lasts, seconds (default 300)" },
	{ .name = "failure-mode", .type = CLI_OPT_FN, .has_arg = 1, .fn = failure_mode,
	  .complete = CLI_COMPLETE_WORDS, .values = "hang,error",
	  .help = "M  hang (default) or error: how a failed service fails its callers" },
	{ .name = "namespace", .type = CLI_OPT_STRING, .value = &o.ns, .complete = CLI_COMPLETE_NONE,
	  .help = "NS  Kubernetes namespace of the services (default: default)" },
	{ .name = "litmus-service-account", .type = CLI_OPT_STRING, .value = &o.litmus_sa,
	  .complete = CLI_COMPLETE_NONE, .help = "SA  litmus: chaosServiceAccount (default litmus-admin)" },
	{ .name = "aws-role-arn", .type = CLI_OPT_STRING, .value = &o.role, .complete = CLI_COMPLETE_NONE,
	  .help = "ARN  aws-fis: the role FIS runs as (default: a placeholder)" },
	{ .name = "aws-cluster", .type = CLI_OPT_STRING, .value = &o.cluster, .complete = CLI_COMPLETE_NONE,
	  .help = "NAME  aws-fis: the EKS cluster (default my-cluster)" },
	{ .name = "aws-service-account", .type = CLI_OPT_STRING, .value = &o.aws_sa,
	  .complete = CLI_COMPLETE_NONE,
	  .help = "SA  aws-fis: kubernetesServiceAccount (default fis-experiment)" },
	{ .name = "aws-stop-alarm", .type = CLI_OPT_STRING, .value = &o.alarm, .complete = CLI_COMPLETE_NONE,
	  .help = "ARN  aws-fis: a CloudWatch alarm that stops the experiment" },
	{ .name = NULL }
};

static int check_args(cli *c)
{
	const char *const *s[] = { &o.ns, &o.litmus_sa, &o.role, &o.cluster, &o.aws_sa };
	size_t i;
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (!**s[i])
			return cli_usage_error(c, "an empty value: --namespace and the service account, role and "
						  "cluster options take a name");
	if (o.alarm && !*o.alarm)
		return cli_usage_error(c, "--aws-stop-alarm takes an alarm ARN");
	return -1;
}

static const cli_spec spec = {
	.usage = "PATH... [-f chaos-mesh|litmus|aws-fis] [--top N]",
	.description = "The chaos experiments that test the riskiest predictions first: kill a single\n"
		       "point of failure, cut a declared-soft edge an entrypoint needs, kill one member\n"
		       "of an any_of group, lose a zone; ranked by the importance `availability`\n"
		       "computes. Each experiment carries its prediction (which entrypoints stay up,\n"
		       "degrade or go down, and when) and a duration. Formats: Chaos Mesh\n"
		       "(PodChaos, NetworkChaos), LitmusChaos (ChaosEngine), AWS FIS (experiment\n"
		       "templates). Pods are selected by the label app: NAME. `depcheck verify` reads\n"
		       "what happened.",
	.formats = "text,json,chaos-mesh,litmus,aws-fis",
	.examples = "depcheck experiments catalog.yaml -f chaos-mesh --top 5 -o chaos.yaml\n"
		    "the five riskiest predictions as Chaos Mesh resources\n",
	.opts = opts,
	.prepare = check_args,
};

int cli_experiments_plan(cli *c, dc_failure_mode mode, dc_experiments **x, dc_availability **a)
{
	dc_availability_options ao = DC_AVAILABILITY_OPTIONS_INIT;
	dc_experiments_options xo = DC_EXPERIMENTS_OPTIONS_INIT;
	int st;
	*x = NULL;
	*a = NULL;
	ao.flags = DC_AVAIL_NO_CUT_SETS;
	if ((st = dc_availability_compute(a, c->graph, &ao))) {
		fprintf(stderr, "depcheck %s: %s\n", c->cmd, dc_strerror(st));
		return DC_EXIT_USAGE;
	}
	xo.mode = mode;
	xo.availability = *a;
	if (dc_experiments_plan(x, c->graph, &xo))
		return cli_oom(c);
	return 0;
}

int cmd_experiments(cli *c)
{
	int rc;
	dc_experiments *x = NULL;
	dc_availability *a = NULL;
	dc_experiments_report rep = DC_EXPERIMENTS_REPORT_INIT;
	dc_output_options oo;
	FILE *out;

	o.top = 10;
	o.duration = 300;
	o.ns = rep.namespace_name;
	o.litmus_sa = rep.litmus_service_account;
	o.role = rep.aws_role_arn;
	o.cluster = rep.aws_cluster;
	o.aws_sa = rep.aws_service_account;
	o.alarm = NULL;
	o.mode = DC_FAILURE_HANG;
	if ((rc = cli_start(c, &spec)) >= 0)
		return rc;
	oo = cli_output_options(c);
	cli_assume(c, &oo, DC_ASSUME_AVAILABILITY | DC_ASSUME_EDGES | DC_ASSUME_ENTRYPOINTS |
				   (o.mode == DC_FAILURE_HANG ? DC_ASSUME_TIMEOUTS | DC_ASSUME_RETRIES : 0));
	if ((rc = cli_experiments_plan(c, o.mode, &x, &a)))
		goto out;
	rep.x = x;
	rep.top = o.top;
	rep.duration_s = o.duration;
	rep.namespace_name = o.ns;
	rep.litmus_service_account = o.litmus_sa;
	rep.aws_role_arn = o.role;
	rep.aws_cluster = o.cluster;
	rep.aws_service_account = o.aws_sa;
	rep.aws_stop_alarm = o.alarm;
	if (!(out = cli_output(c)))
		rc = DC_EXIT_USAGE;
	else
		rc = dc_write_experiments(out, &rep, &oo) ? cli_oom(c) : DC_EXIT_OK;
out:
	dc_experiments_free(x);
	dc_availability_free(a);
	return rc;
}
