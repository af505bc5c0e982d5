/*
 * Property test: random nested policies (depth up to 4; read, write, deny
 * and protected .git) are applied by the sandbox under test, every
 * directory is probed for read, write and create from inside, and the
 * observed access is compared with the reference evaluator.  Access the
 * oracle forbids is "too open"; access it grants but the sandbox refuses
 * is "too closed"; both fail.  Kyua variables: seed (base seed; printed),
 * count (policies in all, default 200, spread over the batches).
 */
#include <atf-c.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oracle.h"
#include "runner.h"

#define BATCHES 10
#define MAX_DIRS (ORACLE_MAX_ENTRIES + ORACLE_MAX_GIT + 1)

static uint64_t
base_seed(const atf_tc_t *tc)
{
	if (atf_tc_has_config_var(tc, "seed"))
		return strtoull(atf_tc_get_config_var(tc, "seed"), NULL, 0);
	/* Unseeded runs still differ from day to day, and print their seed. */
	return (uint64_t)time(NULL) / 86400;
}

static unsigned
policies_per_batch(const atf_tc_t *tc)
{
	unsigned total = 200;

	if (atf_tc_has_config_var(tc, "count"))
		total = (unsigned)strtoul(atf_tc_get_config_var(tc, "count"), NULL, 10);
	return (total + BATCHES - 1) / BATCHES;
}

static void
mkdir_p(const char *path)
{
	char buf[1024];

	conf_fmt(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0755);
			*p = '/';
		}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		atf_tc_fail("mkdir %s: %s", buf, strerror(errno));
}

static void
put_file(const char *dir)
{
	char path[1024];
	FILE *f;

	conf_fmt(path, sizeof(path), "%s/f", dir);
	if ((f = fopen(path, "w")) == NULL)
		atf_tc_fail("create %s: %s", path, strerror(errno));
	fputs("original\n", f);
	fclose(f);
}

/* The directories probed: the workspace, every entry, every .git. */
static size_t
probe_dirs(const struct oracle_policy *p, char dirs[][80])
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		snprintf(dirs[n++], 80, "%s", p->entries[i]);
	for (size_t i = 0; i < p->ngit; i++)
		snprintf(dirs[n++], 80, "%s%s.git", p->git[i], p->git[i][0] ? "/" : "");
	/* Drop duplicates, keeping the first. */
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(dirs[i], dirs[j]) == 0)
				memmove(dirs[j--], dirs[--n], 80);
	return n;
}

static void
abs_dir(const char *ws, const char *rel, char *buf, size_t len)
{
	conf_fmt(buf, len, "%s%s%s", ws, rel[0] ? "/" : "", rel);
}

/*
 * Symlinks outside the workspace for the policy's other spellings: lnk to
 * the workspace, up-X to its directory X (which exists when an entry
 * starts with it).  Outside every writable root, so a sandbox follows them.
 */
static void
make_links(const char *tmp, uint64_t seed, const char *ws, char *links, size_t len)
{
	static const char *const names[] = { "a", "b", "c" };
	char path[1024], target[1024];

	conf_fmt(links, len, "%s/%016" PRIx64 "/links", tmp, seed);
	mkdir_p(links);
	conf_fmt(path, sizeof(path), "%s/lnk", links);
	if (symlink(ws, path) < 0 && errno != EEXIST)
		atf_tc_fail("symlink %s: %s", path, strerror(errno));
	for (size_t i = 0; i < 3; i++) {
		conf_fmt(path, sizeof(path), "%s/up-%s", links, names[i]);
		conf_fmt(target, sizeof(target), "%s/%s", ws, names[i]);
		if (symlink(target, path) < 0 && errno != EEXIST)
			atf_tc_fail("symlink %s: %s", path, strerror(errno));
	}
}

/* Run one policy; returns the number of mismatches and appends a report. */
static int
run_policy(const atf_tc_t *tc, uint64_t seed, const struct conf_vars *base, FILE *report)
{
	struct oracle_policy p;
	struct conf_vars v = *base;
	struct conf_output o;
	char dirs[MAX_DIRS][80], profile[8192], path[1024], links[1024];
	char *cmd[2 + 3 * MAX_DIRS + 1] = { 0 }, *line;
	size_t nd, nc = 0;
	int bad = 0;

	oracle_generate(seed, &p);
	conf_fmt(v.ws, sizeof(v.ws), "%s/%016" PRIx64 "/ws", base->tmp, seed);
	mkdir_p(v.ws);
	nd = probe_dirs(&p, dirs);
	for (size_t i = 0; i < nd; i++) {
		abs_dir(v.ws, dirs[i], path, sizeof(path));
		mkdir_p(path);
		put_file(path);
	}
	make_links(base->tmp, seed, v.ws, links, sizeof(links));
	if (oracle_profile_spelled(&p, v.ws, links, seed, profile, sizeof(profile)) < 0)
		atf_tc_fail("profile too long");
	cmd[nc++] = v.probe;
	cmd[nc++] = (char *)"multi";
	for (size_t i = 0; i < nd; i++) {
		abs_dir(v.ws, dirs[i], path, sizeof(path));
		if (asprintf(&cmd[nc++], "read %s/f", path) < 0 ||
		    asprintf(&cmd[nc++], "write %s/f", path) < 0 ||
		    asprintf(&cmd[nc++], "create %s/new", path) < 0)
			atf_tc_fail("out of memory");
	}
	/* Run from outside the workspace: a policy may deny the workspace itself. */
	if (conf_invoke(tc, profile, base->tmp, cmd, NULL, &v, &o) < 0)
		atf_tc_fail("cannot run the adapter");
	line = o.text;
	for (size_t i = 0; i < nd; i++) {
		enum oracle_access want = oracle_expect(&p, dirs[i]);

		for (int op = 0; op < 3; op++) {
			bool allowed_want = op == 0 ? want != OR_DENY : want == OR_WRITE;
			bool allowed_got;
			char got[256];

			while (line != NULL && strncmp(line, "PROBE ", 6) != 0)
				line = (line = strchr(line, '\n')) ? line + 1 : NULL;
			if (line == NULL) {
				fprintf(report, "seed %#" PRIx64 ": the sandbox ran no probe: %.200s\n"
				    "  profile: %s\n", seed, o.text, profile);
				free(o.text);
				return 1;
			}
			snprintf(got, sizeof(got), "%.*s", (int)strcspn(line, "\n"), line);
			line = strchr(line, '\n');
			allowed_got = strstr(got, " ok") != NULL;
			if (allowed_got != allowed_want) {
				fprintf(report, "seed %#" PRIx64 ": %s: %s /%s (oracle: %s) got \"%s\"\n"
				    "  profile: %s\n", seed, allowed_got ? "TOO OPEN" : "TOO CLOSED",
				    op == 0 ? "read" : op == 1 ? "write" : "create", dirs[i],
				    oracle_access_name(want), got, profile);
				bad++;
			}
		}
	}
	free(o.text);
	for (size_t i = 2; i < nc; i++)
		free(cmd[i]);
	return bad;
}

static void
run_batch(const atf_tc_t *tc, unsigned batch)
{
	uint64_t base = base_seed(tc);
	unsigned n = policies_per_batch(tc);
	struct conf_vars v;
	char *report = NULL;
	size_t rlen = 0;
	FILE *rf = open_memstream(&report, &rlen);
	int bad = 0;
	struct timespec t0, t1;

	memset(&v, 0, sizeof(v));
	conf_make_dirs(tc, &v);
	printf("base seed %#" PRIx64 " (reproduce: kyua test -v seed=%#" PRIx64 ")\n", base, base);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned i = 0; i < n; i++)
		bad += run_policy(tc, base + (uint64_t)batch * 100000 + i, &v, rf);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fclose(rf);
	printf("%s", report);
	{
		struct conf_case rc = { 0 };
		char id[32], title[96], evidence[512];

		snprintf(id, sizeof(id), "nest-property-batch-%u", batch);
		snprintf(title, sizeof(title), "random nested policies, batch %u of %d", batch, BATCHES);
		snprintf(evidence, sizeof(evidence), "%u policies, base seed %#" PRIx64 ", %d mismatches%s%.300s",
		    n, base, bad, bad ? "; first: " : "", report);
		evidence[strcspn(evidence, "\n")] = '\0';
		rc.id = id;
		rc.category = "nesting";
		rc.title = title;
		rc.refs = "E20 E21";
		conf_write_result(atf_tc_has_config_var(tc, "results_dir") ?
		    atf_tc_get_config_var(tc, "results_dir") : NULL, &rc, conf_sut(tc),
		    bad ? "fail" : "pass", evidence,
		    (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	}
	if (bad > 0) {
		/* ATF wants the reason on one line: the full report is on stdout. */
		report[strcspn(report, "\n")] = '\0';
		atf_tc_fail("%d mismatches against the oracle (base seed %#" PRIx64 "); first: %.300s",
		    bad, base, report);
	}
	free(report);
}

#define BATCH(k)							\
	ATF_TC(batch_##k);						\
	ATF_TC_HEAD(batch_##k, tc)					\
	{								\
		atf_tc_set_md_var(tc, "descr", "random nested policies, batch " #k); \
		atf_tc_set_md_var(tc, "require.user", "unprivileged");	\
		atf_tc_set_md_var(tc, "timeout", "300");		\
	}								\
	ATF_TC_BODY(batch_##k, tc)					\
	{								\
		run_batch(tc, k);					\
	}

BATCH(0) BATCH(1) BATCH(2) BATCH(3) BATCH(4)
BATCH(5) BATCH(6) BATCH(7) BATCH(8) BATCH(9)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, batch_0);
	ATF_TP_ADD_TC(tp, batch_1);
	ATF_TP_ADD_TC(tp, batch_2);
	ATF_TP_ADD_TC(tp, batch_3);
	ATF_TP_ADD_TC(tp, batch_4);
	ATF_TP_ADD_TC(tp, batch_5);
	ATF_TP_ADD_TC(tp, batch_6);
	ATF_TP_ADD_TC(tp, batch_7);
	ATF_TP_ADD_TC(tp, batch_8);
	ATF_TP_ADD_TC(tp, batch_9);
	return atf_no_error();
}
