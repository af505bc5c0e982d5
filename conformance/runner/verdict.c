/* Judging one run against a case's expectation: pure, so it is unit-tested. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "runner.h"

void
conf_probe_line(const char *text, char *buf, size_t len)
{
	const char *p = text;

	buf[0] = '\0';
	while (p != NULL && *p != '\0') {
		if (strncmp(p, "PROBE ", 6) == 0) {
			size_t n = strcspn(p, "\n");

			snprintf(buf, len, "%.*s", (int)n, p);
			return;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
}

/* Is word (a whole space-separated token) in list? */
static bool
has_token(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(list, word); p != NULL; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return true;
	return false;
}

static void
first_line(const char *text, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)strcspn(text, "\n"), text);
}

/* One PROBE line against "allowed ..." or "blocked ..."; 1 or 0. */
static int
judge_line(const char *kind, const char *args, const char *line)
{
	char copy[512], *save = NULL;
	const char *result;

	/* "PROBE <name> <result> ..." */
	result = strchr(line + 6, ' ');
	if (result == NULL)
		return 0;
	result++;
	if (strcmp(kind, "allowed") == 0) {
		if (strncmp(result, "ok", 2) != 0 || (result[2] != '\0' && result[2] != ' '))
			return 0;
		snprintf(copy, sizeof(copy), "%s", args);
		for (char *t = strtok_r(copy, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save))
			if (!has_token(result, t))
				return 0;
		return 1;
	}
	if (strncmp(result, "errno:", 6) != 0)
		return 0;
	{
		char name[32];

		snprintf(name, sizeof(name), "%.*s", (int)strcspn(result + 6, " \n"), result + 6);
		return has_token(args, name);
	}
}

static int
judge_probe(const char *kind, const char *args, const struct conf_output *o,
    char *why, size_t whylen)
{
	const char *p = o->text;
	int lines = 0, ok = 1;
	char line[512], head[256];

	while (p != NULL && *p != '\0') {
		if (strncmp(p, "PROBE ", 6) == 0) {
			snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
			if (lines++ == 0 || (ok && !judge_line(kind, args, line)))
				snprintf(why, whylen, "%s", line);
			if (!judge_line(kind, args, line))
				ok = 0;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (lines > 0)
		return ok;
	first_line(o->text, head, sizeof(head));
	if (o->status == -1) {
		snprintf(why, whylen, "timed out; no PROBE line; output: %s", head);
		return 0;
	}
	if (strcmp(kind, "blocked") == 0 && has_token(args, "refused") &&
	    !(WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0)) {
		snprintf(why, whylen, "sandbox refused to run the probe: %s", head);
		return 1;
	}
	snprintf(why, whylen, "no PROBE line (%s %d); output: %s",
	    WIFSIGNALED(o->status) ? "signal" : "exit",
	    WIFSIGNALED(o->status) ? WTERMSIG(o->status) : WEXITSTATUS(o->status), head);
	return 0;
}

static int
judge_run(const char *kind, const char *args, const struct conf_output *o,
    char *why, size_t whylen)
{
	int code = WIFEXITED(o->status) ? WEXITSTATUS(o->status) :
	    WIFSIGNALED(o->status) ? 128 + WTERMSIG(o->status) : -1;
	char head[256];

	first_line(o->text, head, sizeof(head));
	if (o->status == -1) {
		snprintf(why, whylen, "timed out; output: %s", head);
		return 0;
	}
	snprintf(why, whylen, "exit %d; output: %s", code, head);
	if (strcmp(kind, "output") == 0)
		return strstr(o->text, args) != NULL;
	if (strcmp(args, "nonzero") == 0)
		return code != 0;
	return code == atoi(args) && args[0] != '\0';
}

/* "expect any": the result is only shown; the case's checks judge it. */
static int
judge_any(int is_probe, const struct conf_output *o, char *why, size_t whylen)
{
	char line[512], head[256];

	conf_probe_line(o->text, line, sizeof(line));
	first_line(o->text, head, sizeof(head));
	if (o->status == -1)
		snprintf(why, whylen, "not judged: timed out; output: %s", head);
	else if (is_probe && line[0] != '\0')
		snprintf(why, whylen, "not judged: %s", line);
	else
		snprintf(why, whylen, "not judged: %s %d; output: %s",
		    WIFSIGNALED(o->status) ? "signal" : "exit",
		    WIFSIGNALED(o->status) ? WTERMSIG(o->status) : WEXITSTATUS(o->status), head);
	return 1;
}

int
conf_judge(const char *expect, int is_probe, const struct conf_output *o,
    char *why, size_t whylen)
{
	char kind[16];
	const char *args;

	if (o->status != -1 && WIFEXITED(o->status) && WEXITSTATUS(o->status) == 77) {
		const char *skip = strstr(o->text, "SKIP:");

		if (skip != NULL) {
			snprintf(why, whylen, "%.*s", (int)strcspn(skip + 5, "\n"), skip + 5);
			return -1;
		}
	}
	snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(expect, " "), expect);
	args = expect + strlen(kind);
	while (*args == ' ')
		args++;
	if (strcmp(kind, "any") == 0)
		return judge_any(is_probe, o, why, whylen);
	if (is_probe)
		return judge_probe(kind, args, o, why, whylen);
	return judge_run(kind, args, o, why, whylen);
}
