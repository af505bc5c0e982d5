/* Case requirements (unmet: skip) and expected-failure conditions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "runner.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif

int
conf_kernel_version(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) == 0)
		sscanf(u.release, "%d.%d", &major, &minor);
	return major * 1000 + minor;
}

int
conf_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);

	return abi < 0 ? 0 : (int)abi;
}

static int
parse_version(const char *s)
{
	int major = 0, minor = 0;

	sscanf(s, "%d.%d", &major, &minor);
	return major * 1000 + minor;
}

/* An integer comparison "OP N" against have. */
static bool
compare(int have, const char *op, int want)
{
	if (strcmp(op, ">=") == 0)
		return have >= want;
	if (strcmp(op, "<") == 0)
		return have < want;
	if (strcmp(op, ">") == 0)
		return have > want;
	if (strcmp(op, "<=") == 0)
		return have <= want;
	return have == want;
}

/* Dotted versions compared numerically, field by field (a pre-release tail as text): <0, 0, >0. */
static int
version_cmp(const char *a, const char *b)
{
	for (;;) {
		char *ea, *eb;
		unsigned long x = strtoul(a, &ea, 10), y = strtoul(b, &eb, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*ea != '.' || *eb != '.')
			return strcmp(ea, eb);
		a = ea + 1;
		b = eb + 1;
	}
}

/*
 * Does a token of a "sut" list name this SUT?  The SUT is "name" or
 * "name@version"; a token "name" names every version of it, "name@V" that
 * version, "name@>=V" (also >, <=, <) the versions in that range.
 */
static bool
sut_token(const char *t, const char *sut)
{
	size_t tn = strcspn(t, "@"), sn = strcspn(sut, "@");
	const char *tv = t + tn, *sv = sut + sn;
	char op[3] = "";

	if (tn != sn || strncmp(t, sut, tn) != 0)
		return false;
	if (*tv == '\0')
		return true;
	if (*sv == '\0')
		return false;	/* a bare SUT has no version to compare */
	tv++, sv++;
	while (strlen(op) < 2 && (*tv == '<' || *tv == '>' || *tv == '='))
		op[strlen(op)] = *tv++;
	return op[0] == '\0' ? strcmp(tv, sv) == 0 : compare(version_cmp(sv, tv), op, 0);
}

/*
 * A SUT "name-legacy" (or "name-legacy@version") is sandbox "name" asked
 * for its legacy Landlock pipeline on every case (adapters/cordon-legacy,
 * adapters/codex-legacy): a token naming "name" names it too, so the cases
 * for Codex helpers run on it; a token "name-legacy" names it alone.
 */
#define LEGACY_SUFFIX "-legacy"

static bool
sut_listed(const char *list, const char *sut)
{
	char copy[256], base[256], *save = NULL;
	size_t n = strcspn(sut, "@"), sl = strlen(LEGACY_SUFFIX);
	bool variant = n > sl && strncmp(sut + n - sl, LEGACY_SUFFIX, sl) == 0;

	if (variant)
		snprintf(base, sizeof(base), "%.*s%s", (int)(n - sl), sut, sut + n);
	snprintf(copy, sizeof(copy), "%s", list);
	for (char *t = strtok_r(copy, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save))
		if (sut_token(t, sut) || (variant && sut_token(t, base)))
			return true;
	return false;
}

/* Does the first bwrap on PATH offer option --NAME?  Its help is read once. */
static bool
bwrap_has(const char *name)
{
	static char help[16384];
	static bool read_once;
	char opt[64];

	if (!read_once) {
		FILE *p = popen("bwrap --help 2>&1", "r");
		size_t n = p ? fread(help, 1, sizeof(help) - 1, p) : 0;

		help[n] = '\0';
		if (p != NULL)
			pclose(p);
		read_once = true;
	}
	snprintf(opt, sizeof(opt), "--%s ", name);
	return strstr(help, opt) != NULL;
}

/* x32 system calls exist only when the kernel was built and booted for them. */
static bool
x32_enabled(void)
{
#if defined(__x86_64__)
	return syscall(0x40000000 | SYS_getpid) > 0;
#else
	return false;
#endif
}

/* Does condition cond hold?  cond: "kernel OP X.Y", "landlock OP N", "sut NAME..."... */
static bool
holds(const char *cond, const char *sut, bool *known)
{
	char what[32] = "", op[4] = "", val[64] = "";

	*known = true;
	sscanf(cond, "%31s %3s %63s", what, op, val);
	if (strcmp(what, "kernel") == 0)
		return compare(conf_kernel_version(), op, parse_version(val));
	if (strcmp(what, "landlock") == 0)
		return compare(conf_landlock_abi(), op, atoi(val));
	if (strcmp(what, "sut") == 0)
		return sut_listed(cond + 3, sut);
	if (strcmp(what, "file") == 0) {
		const char *path = cond + strlen("file");

		while (*path == ' ')
			path++;
		return access(path, F_OK) == 0;
	}
	if (strcmp(what, "bwrap-feature") == 0 || strcmp(what, "no-bwrap-feature") == 0) {
		char name[64] = "";

		sscanf(cond + strlen(what), "%63s", name);
		return bwrap_has(name) == (what[0] == 'b');
	}
	if (strcmp(what, "x32") == 0)
		return x32_enabled();
	/* "caller root": Kyua runs the case as root (conf_case_head asks for it). */
	if (strcmp(what, "caller") == 0)
		return strcmp(cond, "caller root") == 0 && getuid() == 0;
	if (strcmp(what, "ia32") == 0) {
#if defined(__x86_64__)
		return true;	/* every Debian amd64 kernel has IA32_EMULATION */
#else
		return false;
#endif
	}
	*known = false;
	return false;
}

const char *
conf_unmet(const char *const *requires, const char *sut)
{
	static char reason[256];

	for (size_t i = 0; requires[i] != NULL; i++) {
		bool known;

		if (!holds(requires[i], sut, &known)) {
			snprintf(reason, sizeof(reason), "%s: %s", known ? "requires" : "unknown requirement",
			    requires[i]);
			return reason;
		}
	}
	return NULL;
}

const char *
conf_xfail(const char *const *xfail, const char *sut)
{
	for (size_t i = 0; xfail[i] != NULL; i++) {
		const char *colon = strchr(xfail[i], ':');
		char cond[128];
		bool known;

		if (colon == NULL)
			continue;
		snprintf(cond, sizeof(cond), "%.*s", (int)(colon - xfail[i]), xfail[i]);
		if (holds(cond, sut, &known) && known)
			return colon + 1 + (colon[1] == ' ');
	}
	return NULL;
}
