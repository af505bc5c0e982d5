/*
 * bench-then-remove DIR... -- BWRAP ARGS...: run bare bwrap, wait for it,
 * then remove the listed mount points it made (if still empty), and exit
 * with bwrap's status.  It is what cordon does around bwrap when a plan
 * has mount targets, minus cordon's own planning and filter: the bench's
 * like-for-like row for a workspace whose missing .codex and .agents bwrap
 * creates on the host.  Linked statically, as cordon is.
 */
#include <err.h>
#include <errno.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int
main(int argc, char **argv)
{
	int sep = 1, st;
	pid_t pid;

	while (sep < argc && strcmp(argv[sep], "--") != 0)
		sep++;
	if (sep + 1 >= argc)
		errx(2, "usage: bench-then-remove DIR... -- BWRAP ARGS...");
	if ((errno = posix_spawn(&pid, argv[sep + 1], NULL, NULL, &argv[sep + 1], environ)) != 0)
		err(1, "%s", argv[sep + 1]);
	while (waitpid(pid, &st, 0) < 0)
		;
	for (int i = 1; i < sep; i++)
		rmdir(argv[i]);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
