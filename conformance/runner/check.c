/*
 * Host-side checks ("check KIND [ARG...]"): what the sandboxed launches did
 * to the host, judged on snapshots taken before the first launch and after
 * the judged one.  Pure, so it is unit-tested: snapshots in, verdict and a
 * one-line evidence out.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner.h"

#define FLAG(f) { f, #f }
struct flag {
	tcflag_t bit;
	const char *name;
};

static const struct flag iflags[] = {
	FLAG(IGNBRK), FLAG(BRKINT), FLAG(IGNPAR), FLAG(PARMRK), FLAG(INPCK), FLAG(ISTRIP),
	FLAG(INLCR), FLAG(IGNCR), FLAG(ICRNL), FLAG(IUCLC), FLAG(IXON), FLAG(IXANY),
	FLAG(IXOFF), FLAG(IMAXBEL), FLAG(IUTF8), { 0, NULL },
};
static const struct flag oflags[] = {
	FLAG(OPOST), FLAG(OLCUC), FLAG(ONLCR), FLAG(OCRNL), FLAG(ONOCR), FLAG(ONLRET),
	FLAG(OFILL), FLAG(OFDEL), { 0, NULL },
};
static const struct flag cflags[] = {
	FLAG(CSTOPB), FLAG(CREAD), FLAG(PARENB), FLAG(PARODD), FLAG(HUPCL), FLAG(CLOCAL),
	FLAG(CRTSCTS), { 0, NULL },
};
static const struct flag lflags[] = {
	FLAG(ISIG), FLAG(ICANON), FLAG(ECHO), FLAG(ECHOE), FLAG(ECHOK), FLAG(ECHONL),
	FLAG(NOFLSH), FLAG(TOSTOP), FLAG(ECHOCTL), FLAG(ECHOPRT), FLAG(ECHOKE), FLAG(FLUSHO),
	FLAG(PENDIN), FLAG(IEXTEN), FLAG(EXTPROC), { 0, NULL },
};

static const char *const cc_names[NCCS] = {
	[VINTR] = "VINTR", [VQUIT] = "VQUIT", [VERASE] = "VERASE", [VKILL] = "VKILL",
	[VEOF] = "VEOF", [VTIME] = "VTIME", [VMIN] = "VMIN", [VSTART] = "VSTART",
	[VSTOP] = "VSTOP", [VSUSP] = "VSUSP", [VEOL] = "VEOL", [VREPRINT] = "VREPRINT",
	[VDISCARD] = "VDISCARD", [VWERASE] = "VWERASE", [VLNEXT] = "VLNEXT", [VEOL2] = "VEOL2",
};

static const struct {
	const char *name;
	enum conf_check_kind kind;
	int args;		/* 0 none, 1 PATH, 2 NAME VALUE */
} check_kinds[] = {
	{ "unchanged", CONF_CHECK_UNCHANGED, 1 }, { "appended", CONF_CHECK_APPENDED, 1 },
	{ "exists", CONF_CHECK_EXISTS, 1 }, { "missing", CONF_CHECK_MISSING, 1 },
	{ "tty", CONF_CHECK_TTY, 0 }, { "key", CONF_CHECK_KEY, 2 },
	{ "fifo-empty", CONF_CHECK_FIFO_EMPTY, 0 }, { "contains", CONF_CHECK_CONTAINS, 2 },
};

/* Append one clause to a "; "-separated list. */
static void __attribute__((format(printf, 3, 4)))
add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 2 < len) {
		strcpy(buf + used, "; ");
		used += 2;
	}
	va_start(ap, fmt);
	if (used < len)
		vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

static const char *
skip_blanks(const char *s)
{
	return s + strspn(s, " \t");
}

int
conf_check_parse(const char *line, struct conf_check *c, char *err, size_t errlen)
{
	const char *rest;
	size_t n = strcspn(line, " \t"), k;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < sizeof(check_kinds) / sizeof(check_kinds[0]); k++)
		if (strlen(check_kinds[k].name) == n && strncmp(check_kinds[k].name, line, n) == 0)
			break;
	if (k == sizeof(check_kinds) / sizeof(check_kinds[0])) {
		snprintf(err, errlen, "check \"%s\": unknown check", line);
		return -1;
	}
	c->kind = check_kinds[k].kind;
	rest = skip_blanks(line + n);
	if (strlen(line) >= sizeof(c->line) || strlen(rest) >= sizeof(c->arg)) {
		snprintf(err, errlen, "check \"%.60s...\": too long", line);
		return -1;
	}
	snprintf(c->line, sizeof(c->line), "%s", line);
	switch (check_kinds[k].args) {
	case 0:
		if (*rest != '\0') {
			snprintf(err, errlen, "check \"%s\": takes no argument", line);
			return -1;
		}
		return 0;
	case 1:
		if (*rest == '\0') {
			snprintf(err, errlen, "check \"%s\": needs a PATH", line);
			return -1;
		}
		snprintf(c->arg, sizeof(c->arg), "%s", rest);
		return 0;
	default:
		n = strcspn(rest, " \t");
		snprintf(c->arg, sizeof(c->arg), "%.*s", (int)n, rest);
		snprintf(c->value, sizeof(c->value), "%s", skip_blanks(rest + n));
		if (c->arg[0] == '\0' || c->value[0] == '\0') {
			snprintf(err, errlen, "check \"%s\": needs NAME VALUE", line);
			return -1;
		}
		return 0;
	}
}

static const char *
err_name(int e)
{
	static char buf[16];
	const char *s = strerrorname_np(e);

	if (s != NULL)
		return s;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static const char *
type_name(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return "file";
	case S_IFDIR: return "dir";
	case S_IFLNK: return "symlink";
	case S_IFIFO: return "fifo";
	case S_IFSOCK: return "socket";
	case S_IFCHR: return "chardev";
	case S_IFBLK: return "blockdev";
	default: return "other";
	}
}

static size_t
first_difference(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* "+new -old" for two sorted, newline-separated name lists. */
static void
entry_diff(const struct conf_snap *b, const struct conf_snap *a, char *out, size_t len)
{
	const char *p = b->data ? b->data : "", *q = a->data ? a->data : "";
	size_t used = 0;

	out[0] = '\0';
	while ((*p != '\0' || *q != '\0') && used + 1 < len) {
		size_t np = strcspn(p, "\n"), nq = strcspn(q, "\n");
		int c = *p == '\0' ? 1 : *q == '\0' ? -1 :
		    strncmp(p, q, np < nq ? np : nq) != 0 ? strncmp(p, q, np < nq ? np : nq) :
		    (np > nq) - (np < nq);

		if (c == 0) {
			p += np + (p[np] == '\n');
			q += nq + (q[nq] == '\n');
			continue;
		}
		used += (size_t)snprintf(out + used, len - used, "%s%c%.*s", used ? " " : "",
		    c < 0 ? '-' : '+', (int)(c < 0 ? np : nq), c < 0 ? p : q);
		if (c < 0)
			p += np + (p[np] == '\n');
		else
			q += nq + (q[nq] == '\n');
	}
}

/* Existence, type and mode; false when nothing more can be compared. */
static bool
same_kind(const struct conf_snap *b, const struct conf_snap *a, char *out, size_t len)
{
	if (b->err != 0 && a->err != 0)
		return false;
	if (b->err != 0) {
		add(out, len, "created (%s %04o)", type_name(a->mode), (unsigned)(a->mode & 07777));
		return false;
	}
	if (a->err != 0) {
		add(out, len, "removed (%s)", err_name(a->err));
		return false;
	}
	if ((b->mode & S_IFMT) != (a->mode & S_IFMT)) {
		add(out, len, "type %s -> %s", type_name(b->mode), type_name(a->mode));
		return false;
	}
	if ((b->mode & 07777) != (a->mode & 07777))
		add(out, len, "mode %04o -> %04o", (unsigned)(b->mode & 07777),
		    (unsigned)(a->mode & 07777));
	return true;
}

static void
judge_unchanged(const struct conf_snap *b, const struct conf_snap *a, char *out, size_t len)
{
	const char *data_b = b->data ? b->data : "", *data_a = a->data ? a->data : "";
	char diff[256];

	if (!same_kind(b, a, out, len))
		return;
	switch (a->mode & S_IFMT) {
	case S_IFREG:
		if (b->size != a->size)
			add(out, len, "size %lld -> %lld", (long long)b->size, (long long)a->size);
		else if (b->len != a->len || memcmp(data_b, data_a, a->len) != 0)
			add(out, len, "content changed at byte %zu",
			    first_difference(data_b, data_a, b->len < a->len ? b->len : a->len));
		break;
	case S_IFDIR:
		entry_diff(b, a, diff, sizeof(diff));
		if (diff[0] != '\0')
			add(out, len, "entries changed (%s)", diff);
		break;
	case S_IFLNK:
		if (strcmp(data_b, data_a) != 0)
			add(out, len, "target %s -> %s", data_b, data_a);
		break;
	}
}

/* A log may only grow at its end. */
static void
judge_appended(const struct conf_snap *b, const struct conf_snap *a, char *out, size_t len)
{
	size_t at;

	if (a->err != 0) {
		if (b->err == 0)
			add(out, len, "removed (%s)", err_name(a->err));
		return;
	}
	if (b->err != 0) {
		/* Nothing before: any regular file grew from nothing. */
		if (!S_ISREG(a->mode))
			add(out, len, "created as a %s", type_name(a->mode));
		return;
	}
	if (!same_kind(b, a, out, len))
		return;
	if (a->size < b->size) {
		add(out, len, "size %lld -> %lld (shrank)", (long long)b->size, (long long)a->size);
		return;
	}
	at = first_difference(b->data ? b->data : "", a->data ? a->data : "",
	    b->len < a->len ? b->len : a->len);
	if (at < b->len)
		add(out, len, "old content rewritten at byte %zu", at);
}

static void
flag_diff(const char *what, tcflag_t b, tcflag_t a, const struct flag *names, char *out,
    size_t len)
{
	char cleared[256] = "", set[256] = "", both[520];
	tcflag_t rest_b = b, rest_a = a;

	if (a == b)
		return;
	for (const struct flag *f = names; f->name != NULL; f++) {
		rest_b &= ~f->bit;
		rest_a &= ~f->bit;
		if ((b & f->bit) && !(a & f->bit))
			snprintf(cleared + strlen(cleared), sizeof(cleared) - strlen(cleared),
			    "%s%s", cleared[0] ? " " : "", f->name);
		else if (!(b & f->bit) && (a & f->bit))
			snprintf(set + strlen(set), sizeof(set) - strlen(set), "%s%s",
			    set[0] ? " " : "", f->name);
	}
	/* Bits without a name here (CSIZE, baud rates, delays): in hex. */
	if (rest_b & ~rest_a)
		snprintf(cleared + strlen(cleared), sizeof(cleared) - strlen(cleared), "%s%#o",
		    cleared[0] ? " " : "", (unsigned)(rest_b & ~rest_a));
	if (rest_a & ~rest_b)
		snprintf(set + strlen(set), sizeof(set) - strlen(set), "%s%#o",
		    set[0] ? " " : "", (unsigned)(rest_a & ~rest_b));
	snprintf(both, sizeof(both), "%s%s%s%s%s", cleared, cleared[0] ? " cleared" : "",
	    cleared[0] && set[0] ? ", " : "", set, set[0] ? " set" : "");
	add(out, len, "%s changed (%s)", what, both);
}

/* Are the n bytes at name a whole item of the ", "-separated list? */
static bool
listed(const char *list, const char *name, size_t n)
{
	const char *p = list;

	while (*p != '\0') {
		size_t k = strcspn(p, ",");

		if (k == n && strncmp(p, name, n) == 0)
			return true;
		p += k;
		p += strspn(p, ", ");
	}
	return false;
}

/* The victim's signals, each name once, in order of arrival. */
static void
signal_list(const char *log, char *out, size_t len)
{
	const char *p = log;

	out[0] = '\0';
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (n > 0 && !listed(out, p, n))
			snprintf(out + strlen(out), len - strlen(out), "%s%.*s", out[0] ? ", " : "",
			    (int)n, p);
		p += n + (p[n] == '\n');
	}
}

static void
judge_tty(const struct conf_snap *b, const struct conf_snap *a, char *out, size_t len)
{
	char sigs[256], cc[256] = "";

	if (b->tty_err != 0 || a->tty_err != 0) {
		add(out, len, "cannot read the terminal (%s)", err_name(a->tty_err ? a->tty_err :
		    b->tty_err));
		return;
	}
	flag_diff("iflag", b->tio.c_iflag, a->tio.c_iflag, iflags, out, len);
	flag_diff("oflag", b->tio.c_oflag, a->tio.c_oflag, oflags, out, len);
	flag_diff("cflag", b->tio.c_cflag, a->tio.c_cflag, cflags, out, len);
	flag_diff("lflag", b->tio.c_lflag, a->tio.c_lflag, lflags, out, len);
	for (int i = 0; i < NCCS; i++)
		if (b->tio.c_cc[i] != a->tio.c_cc[i])
			snprintf(cc + strlen(cc), sizeof(cc) - strlen(cc), "%s%s %u -> %u",
			    cc[0] ? ", " : "", cc_names[i] ? cc_names[i] : "?",
			    b->tio.c_cc[i], a->tio.c_cc[i]);
	if (cc[0] != '\0')
		add(out, len, "c_cc changed (%s)", cc);
	if (memcmp(&b->ws, &a->ws, sizeof(a->ws)) != 0)
		add(out, len, "window %ux%u -> %ux%u", b->ws.ws_row, b->ws.ws_col, a->ws.ws_row,
		    a->ws.ws_col);
	if (a->excl && !b->excl)
		add(out, len, "made exclusive (TIOCEXCL)");
	signal_list(a->signals, sigs, sizeof(sigs));
	if (sigs[0] != '\0')
		add(out, len, "victim got %s", sigs);
}

static bool
same_keys(const struct conf_snap *b, const struct conf_snap *a)
{
	return b->nkeys == a->nkeys && memcmp(b->keys, a->keys, a->nkeys * sizeof(a->keys[0])) == 0;
}

static bool
has_key(const struct conf_snap *s, int32_t k)
{
	for (size_t i = 0; i < s->nkeys; i++)
		if (s->keys[i] == k)
			return true;
	return false;
}

static void
judge_key(const struct conf_check *c, const struct conf_snap *b, const struct conf_snap *a,
    char *out, size_t len)
{
	char diff[256] = "";

	if (a->key_err != 0)
		add(out, len, "key %s not found (%s)", c->arg, err_name(a->key_err));
	else if (a->key_len != strlen(c->value) || memcmp(a->key, c->value, a->key_len) != 0)
		add(out, len, "value \"%s\" -> \"%.*s\"", c->value, (int)a->key_len, a->key);
	if (same_keys(b, a))
		return;
	for (size_t i = 0; i < a->nkeys; i++)
		if (!has_key(b, a->keys[i]))
			snprintf(diff + strlen(diff), sizeof(diff) - strlen(diff), " +%d", a->keys[i]);
	for (size_t i = 0; i < b->nkeys; i++)
		if (!has_key(a, b->keys[i]))
			snprintf(diff + strlen(diff), sizeof(diff) - strlen(diff), " -%d", b->keys[i]);
	add(out, len, "keyring %zu -> %zu keys (%s)", b->nkeys, a->nkeys, diff + (diff[0] == ' '));
}

int
conf_check_judge(const struct conf_check *c, const struct conf_snap *before,
    const struct conf_snap *after, char *why, size_t whylen)
{
	char what[768] = "";

	switch (c->kind) {
	case CONF_CHECK_UNCHANGED:
		judge_unchanged(before, after, what, sizeof(what));
		break;
	case CONF_CHECK_APPENDED:
		judge_appended(before, after, what, sizeof(what));
		break;
	case CONF_CHECK_EXISTS:
		if (after->err != 0)
			add(what, sizeof(what), "missing (%s)", err_name(after->err));
		break;
	case CONF_CHECK_MISSING:
		if (after->err == 0)
			add(what, sizeof(what), "exists (%s %04o)", type_name(after->mode),
			    (unsigned)(after->mode & 07777));
		else if (after->err != ENOENT && after->err != ENOTDIR)
			add(what, sizeof(what), "cannot tell (%s)", err_name(after->err));
		break;
	case CONF_CHECK_TTY:
		judge_tty(before, after, what, sizeof(what));
		break;
	case CONF_CHECK_KEY:
		judge_key(c, before, after, what, sizeof(what));
		break;
	case CONF_CHECK_CONTAINS:
		if (after->err != 0)
			add(what, sizeof(what), "missing (%s)", err_name(after->err));
		else if (after->data == NULL ||
		    memmem(after->data, after->len, c->value, strlen(c->value)) == NULL)
			add(what, sizeof(what), "no \"%s\" in its %zu bytes", c->value, after->len);
		break;
	case CONF_CHECK_FIFO_EMPTY:
		if (after->fifo_bytes > 0)
			add(what, sizeof(what), "%zu byte%s arrived", after->fifo_bytes,
			    after->fifo_bytes == 1 ? "" : "s");
		break;
	}
	if (what[0] == '\0') {
		snprintf(why, whylen, "check %s: holds", c->line);
		return 1;
	}
	snprintf(why, whylen, "check %s: %s", c->line, what);
	return 0;
}

int
conf_verdict(int verdict, const char *expect_why, const char *check_why, size_t nchecks,
    char *why, size_t whylen)
{
	if (verdict < 0 || (check_why == NULL && nchecks == 0)) {
		snprintf(why, whylen, "%s", expect_why);
		return verdict;
	}
	if (verdict > 0 && check_why == NULL) {
		snprintf(why, whylen, "%s; %zu check%s hold%s", expect_why, nchecks,
		    nchecks == 1 ? "" : "s", nchecks == 1 ? "s" : "");
		return 1;
	}
	if (verdict > 0)
		snprintf(why, whylen, "%s; %s", check_why, expect_why);
	else if (check_why != NULL)
		snprintf(why, whylen, "%s; and %s", expect_why, check_why);
	else
		snprintf(why, whylen, "%s", expect_why);
	return 0;
}
