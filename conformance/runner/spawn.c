/* Run a command with a time-out; stdout and stderr are collected together. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

#define OUTPUT_MAX (256 * 1024)

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
conf_spawn(char *const *argv, char *const *envp, const char *cwd, int timeout_s,
    struct conf_output *out)
{
	double start = now();
	size_t len = 0, cap = 8192;
	int fds[2], st = 0;
	bool timed_out = false;
	pid_t pid;

	memset(out, 0, sizeof(*out));
	if (pipe2(fds, O_CLOEXEC) < 0 || (out->text = malloc(cap)) == NULL)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		/* Its own process group, so a time-out can end everything it started. */
		setpgid(0, 0);
		dup2(devnull, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		if (cwd != NULL && chdir(cwd) < 0)
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		int left = (int)((start + timeout_s - now()) * 1000);
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, left) == 0) {
			timed_out = true;
			break;
		}
		if (len + 4096 > cap && cap < OUTPUT_MAX)
			out->text = realloc(out->text, cap *= 2);
		if (out->text == NULL)
			break;
		n = read(fds[0], out->text + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len + 1 >= cap)
			len = cap - 4097;	/* keep the head; drop a runaway tail */
	}
	close(fds[0]);
	if (timed_out)
		kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (out->text != NULL)
		out->text[len] = '\0';
	out->status = timed_out ? -1 : st;
	out->seconds = now() - start;
	return out->text ? 0 : -1;
}
