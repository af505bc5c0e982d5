/* One JSON result file per case, merged into the reports by scripts/report. */
#include <jansson.h>
#include <stdio.h>

#include "runner.h"

void
conf_write_result(const char *dir, const struct conf_case *c, const char *sut,
    const char *outcome, const char *evidence, double seconds)
{
	char path[1024];
	json_t *o;

	if (dir == NULL || dir[0] == '\0')
		return;
	snprintf(path, sizeof(path), "%s/%s.json", dir, c->id);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:s}", "id", c->id, "category",
	    c->category, "title", c->title, "sut", sut, "outcome", outcome, "evidence",
	    evidence, "duration", seconds, "refs", c->refs);
	if (o != NULL)
		json_dump_file(o, path, JSON_COMPACT);
	json_decref(o);
}
