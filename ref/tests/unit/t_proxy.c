/* Managed proxy mode, pure parts: endpoints, variable rewriting, planning, the route spec. */
#include <atf-c.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "proxy.h"

ATF_TC_WITHOUT_HEAD(proxy_variables_are_known_in_any_case);
ATF_TC_BODY(proxy_variables_are_known_in_any_case, tc)
{
	static const struct {
		const char *name;
		bool want;
	} t[] = {
		{ "HTTP_PROXY", true }, { "http_proxy", true }, { "Https_Proxy", true },
		{ "WS_PROXY", true }, { "wss_proxy", true }, { "ALL_PROXY", true },
		{ "FTP_PROXY", true }, { "YARN_HTTP_PROXY", true }, { "yarn_https_proxy", true },
		{ "NPM_CONFIG_HTTP_PROXY", true }, { "npm_config_https_proxy", true },
		{ "npm_config_proxy", true }, { "BUNDLE_HTTP_PROXY", true },
		{ "BUNDLE_HTTPS_PROXY", true }, { "PIP_PROXY", true },
		{ "DOCKER_HTTP_PROXY", true }, { "docker_https_proxy", true },
		{ "NO_PROXY", false }, { "no_proxy", false }, { "PROXY", false },
		{ "HTTP_PROXY_", false }, { "", false }, { "SOCKS_PROXY", false },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ATF_CHECK_MSG(proxy_env_key(t[i].name) == t[i].want, "%s: want %d", t[i].name,
		    t[i].want);
}

ATF_TC_WITHOUT_HEAD(endpoints_parse_with_default_ports_and_loopback_check);
ATF_TC_BODY(endpoints_parse_with_default_ports_and_loopback_check, tc)
{
	static const struct {
		const char *value;
		bool loopback_only;
		const char *host;	/* NULL: rejected */
		unsigned port;
		const char *why;	/* part of the error */
	} t[] = {
		{ "http://127.0.0.1:3128", true, "127.0.0.1", 3128, NULL },
		{ "127.0.0.1:3128", true, "127.0.0.1", 3128, NULL },
		{ "  http://localhost:8080/  ", true, "127.0.0.1", 8080, NULL },
		{ "LOCALHOST:1", true, "127.0.0.1", 1, NULL },
		{ "http://user:pw@127.0.0.1:9000", true, "127.0.0.1", 9000, NULL },
		{ "http://127.0.0.1", true, "127.0.0.1", 80, NULL },
		{ "https://127.0.0.1", true, "127.0.0.1", 443, NULL },
		{ "HTTPS://127.0.0.1/", true, "127.0.0.1", 443, NULL },
		{ "socks5h://127.0.0.1", true, "127.0.0.1", 1080, NULL },
		{ "socks5://127.0.0.1", true, "127.0.0.1", 1080, NULL },
		{ "socks4a://127.0.0.1", true, "127.0.0.1", 1080, NULL },
		{ "ftp://127.0.0.1", true, "127.0.0.1", 80, NULL },
		{ "127.0.0.1", true, "127.0.0.1", 80, NULL },
		{ "http://127.0.0.2:81", true, "127.0.0.2", 81, NULL },
		{ "http://[::1]:3128", true, "::1", 3128, NULL },
		{ "[::1]", true, "::1", 80, NULL },
		{ "http://127.0.0.1:3128?x=1#f", true, "127.0.0.1", 3128, NULL },
		{ "http://10.0.0.1:3128", true, NULL, 0, "not on loopback" },
		{ "http://10.0.0.1:3128", false, "10.0.0.1", 3128, NULL },
		{ "http://[2001:db8::1]:3128", true, NULL, 0, "not on loopback" },
		{ "http://[2001:db8::1]:3128", false, "2001:db8::1", 3128, NULL },
		{ "http://proxy.example:3128", true, NULL, 0, "numeric" },
		{ "http://127.0.0.1:0", true, NULL, 0, "bad port" },
		{ "http://127.0.0.1:65536", true, NULL, 0, "bad port" },
		{ "http://127.0.0.1:", true, NULL, 0, "bad port" },
		{ "http://127.0.0.1:+80", true, NULL, 0, "bad port" },
		{ "http://127.0.0.1:80x", true, NULL, 0, "bad port" },
		{ "http://[::1", true, NULL, 0, "not a proxy address" },
		{ "http://", true, NULL, 0, "not a proxy address" },
		{ "", true, NULL, 0, "not a proxy address" },
		{ "::1", true, NULL, 0, "" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct proxy_endpoint ep;
		char err[256] = "";
		int r = proxy_parse_endpoint(t[i].value, t[i].loopback_only, &ep, err, sizeof(err));

		if (t[i].host == NULL) {
			ATF_CHECK_MSG(r < 0, "\"%s\" accepted", t[i].value);
			ATF_CHECK_MSG(strstr(err, t[i].why) != NULL, "\"%s\": error \"%s\" lacks \"%s\"",
			    t[i].value, err, t[i].why);
			continue;
		}
		ATF_CHECK_MSG(r == 0, "\"%s\" rejected: %s", t[i].value, err);
		if (r != 0)
			continue;
		ATF_CHECK_MSG(strcmp(ep.host, t[i].host) == 0, "\"%s\": host %s", t[i].value, ep.host);
		ATF_CHECK_MSG(ep.port == t[i].port, "\"%s\": port %u", t[i].value, ep.port);
		ATF_CHECK_EQ(strchr(t[i].host, ':') ? AF_INET6 : AF_INET, ep.family);
	}
}

ATF_TC_WITHOUT_HEAD(rewriting_keeps_scheme_userinfo_and_trailing_slash);
ATF_TC_BODY(rewriting_keeps_scheme_userinfo_and_trailing_slash, tc)
{
	static const struct {
		const char *value;
		const char *want;	/* NULL: cannot be rewritten */
	} t[] = {
		{ "http://127.0.0.1:3128", "http://127.0.0.1:40000" },
		{ "http://127.0.0.1:3128/", "http://127.0.0.1:40000/" },
		{ "127.0.0.1:3128", "127.0.0.1:40000" },
		{ "127.0.0.1:3128/", "127.0.0.1:40000/" },
		{ "localhost:3128", "127.0.0.1:40000" },
		{ "http://localhost", "http://127.0.0.1:40000" },
		{ "socks5h://127.0.0.1:8081", "socks5h://127.0.0.1:40000" },
		{ "http://u:p@localhost:3128/x?y#z", "http://u:p@127.0.0.1:40000/x?y#z" },
		{ "http://[::1]:3128", "http://127.0.0.1:40000" },
		{ " http://127.0.0.1:3128 ", "http://127.0.0.1:40000" },
		{ "", NULL },
		{ "http://[::1", NULL },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *got = proxy_rewrite_value(t[i].value, 40000);

		if (t[i].want == NULL)
			ATF_CHECK_MSG(got == NULL, "\"%s\" rewritten to %s", t[i].value, got);
		else
			ATF_CHECK_MSG(got != NULL && strcmp(got, t[i].want) == 0,
			    "\"%s\": got %s, want %s", t[i].value, got ? got : "NULL", t[i].want);
		free(got);
	}
}

ATF_TC_WITHOUT_HEAD(environment_routes_are_sorted_and_share_endpoints);
ATF_TC_BODY(environment_routes_are_sorted_and_share_endpoints, tc)
{
	char *env[] = { "https_proxy=127.0.0.1:3128", "PATH=/bin", "HTTP_PROXY=http://localhost:3128/",
		"NO_PROXY=localhost", "ALL_PROXY=socks5h://127.0.0.1:1080", "FTP_PROXY=http://10.0.0.1:21",
		"PIP_PROXY=   ", "WS_PROXY", NULL };
	struct proxy_plan pp;
	char err[256] = "";

	ATF_REQUIRE_MSG(proxy_plan_from_env(env, &pp, err, sizeof(err)) == 0, "%s", err);
	/* Byte order: upper case first; FTP_PROXY (not loopback) and blank PIP_PROXY are left out. */
	ATF_REQUIRE_EQ(3, pp.nroutes);
	ATF_CHECK_STREQ("ALL_PROXY", pp.routes[0].env_key);
	ATF_CHECK_STREQ("HTTP_PROXY", pp.routes[1].env_key);
	ATF_CHECK_STREQ("https_proxy", pp.routes[2].env_key);
	ATF_REQUIRE_EQ(2, pp.nep);
	ATF_CHECK_EQ(1080, pp.ep[pp.routes[0].endpoint].port);
	ATF_CHECK_EQ(3128, pp.ep[pp.routes[1].endpoint].port);
	ATF_CHECK_EQ(pp.routes[1].endpoint, pp.routes[2].endpoint);
	ATF_CHECK(!pp.set_env);
	proxy_plan_free(&pp);
}

ATF_TC_WITHOUT_HEAD(environment_without_usable_routes_is_an_error);
ATF_TC_BODY(environment_without_usable_routes_is_an_error, tc)
{
	static const struct {
		char *env[4];
		const char *want;
	} t[] = {
		{ { "PATH=/bin", NULL }, "requires proxy environment variables" },
		{ { NULL }, "requires proxy environment variables" },
		{ { "HTTP_PROXY=", "https_proxy= ", NULL }, "requires proxy environment variables" },
		{ { "NO_PROXY=127.0.0.1", NULL }, "requires proxy environment variables" },
		{ { "HTTP_PROXY=http://example.com:80", NULL }, "parseable loopback proxy endpoints" },
		{ { "https_proxy=http://127.0.0.1:0", "ALL_PROXY=10.1.1.1:1", NULL },
		    "parseable loopback proxy endpoints" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct proxy_plan pp;
		char err[256] = "";

		ATF_CHECK_MSG(proxy_plan_from_env((char *const *)t[i].env, &pp, err, sizeof(err)) < 0,
		    "case %zu accepted", i);
		ATF_CHECK_MSG(strstr(err, t[i].want) != NULL, "case %zu: \"%s\"", i, err);
		ATF_CHECK_MSG(strchr(err, '\n') == NULL, "case %zu: not one line", i);
	}
}

ATF_TC_WITHOUT_HEAD(run_flags_set_the_usual_variables_to_the_first_endpoint);
ATF_TC_BODY(run_flags_set_the_usual_variables_to_the_first_endpoint, tc)
{
	char *flags[] = { "127.0.0.1:3128", "http://localhost:3128", "[::1]:8080" }, *bad[] = { "x:1" };
	struct proxy_plan pp;
	char err[256] = "";
	size_t n = 0;

	ATF_REQUIRE_MSG(proxy_plan_from_flags(flags, 3, &pp, err, sizeof(err)) == 0, "%s", err);
	ATF_CHECK(pp.set_env);
	ATF_REQUIRE_EQ(2, pp.nep);
	ATF_CHECK_STREQ("::1", pp.ep[1].host);
	for (; proxy_run_keys[n] != NULL; n++)
		;
	ATF_REQUIRE_EQ(n, pp.nroutes);
	for (size_t i = 0; i < pp.nroutes; i++) {
		ATF_CHECK_STREQ(proxy_run_keys[i], pp.routes[i].env_key);
		ATF_CHECK_EQ(0, pp.routes[i].endpoint);
	}
	proxy_plan_free(&pp);
	ATF_CHECK(proxy_plan_from_flags(bad, 1, &pp, err, sizeof(err)) < 0);
	ATF_CHECK(strstr(err, "--proxy") != NULL);
	ATF_CHECK(proxy_plan_from_flags(NULL, 0, &pp, err, sizeof(err)) < 0);
}

ATF_TC_WITHOUT_HEAD(route_spec_round_trips_and_rejects_bad_input);
ATF_TC_BODY(route_spec_round_trips_and_rejects_bad_input, tc)
{
	char *env[] = { "HTTP_PROXY=http://127.0.0.1:3128", "wss_proxy=127.0.0.1:4000", NULL };
	static const struct {
		const char *json;
		const char *want;
	} bad[] = {
		{ "", "proxy route spec" },
		{ "[]", "expected {\"routes\"" },
		{ "{\"routes\":[]}", "with a route" },
		{ "{\"routes\":[1]}", "not an object" },
		{ "{\"routes\":[{\"uds_path\":\"/a\"}]}", "env_key" },
		{ "{\"routes\":[{\"env_key\":\"A=B\",\"uds_path\":\"/a\"}]}", "env_key" },
		{ "{\"routes\":[{\"env_key\":\"A\",\"uds_path\":\"a\"}]}", "uds_path" },
		{ "{\"routes\":[{\"env_key\":\"A\",\"uds_path\":\"/a\",\"port\":70000}]}", "port" },
		{ "{\"routes\":[{\"env_key\":\"A\",\"uds_path\":\"/a\",\"port\":\"1\"}]}", "port" },
	};
	struct proxy_plan pp;
	struct proxy_spec spec, back;
	char err[256] = "", *json;

	ATF_REQUIRE(proxy_plan_from_env(env, &pp, err, sizeof(err)) == 0);
	pp.dir = strdup("/run/user/1000/cordon-proxy-7-1000");
	proxy_spec_from_plan(&pp, &spec);
	json = proxy_spec_encode(&spec);
	ATF_CHECK_STREQ("{\"routes\":[{\"env_key\":\"HTTP_PROXY\",\"uds_path\":"
	    "\"/run/user/1000/cordon-proxy-7-1000/route-0.sock\",\"port\":3128},"
	    "{\"env_key\":\"wss_proxy\",\"uds_path\":"
	    "\"/run/user/1000/cordon-proxy-7-1000/route-1.sock\",\"port\":4000}]}", json);
	ATF_REQUIRE_MSG(proxy_spec_decode(json, &back, err, sizeof(err)) == 0, "%s", err);
	ATF_REQUIRE_EQ(2, back.n);
	for (size_t i = 0; i < 2; i++) {
		ATF_CHECK_STREQ(spec.r[i].env_key, back.r[i].env_key);
		ATF_CHECK_STREQ(spec.r[i].uds_path, back.r[i].uds_path);
		ATF_CHECK_EQ(spec.r[i].port, back.r[i].port);
	}
	free(json);
	proxy_spec_free(&spec);
	proxy_spec_free(&back);
	proxy_plan_free(&pp);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ATF_CHECK_MSG(proxy_spec_decode(bad[i].json, &back, err, sizeof(err)) < 0,
		    "accepted %s", bad[i].json);
		ATF_CHECK_MSG(strstr(err, bad[i].want) != NULL, "%s: \"%s\"", bad[i].json, err);
		ATF_CHECK(back.n == 0 && back.r == NULL);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, proxy_variables_are_known_in_any_case);
	ATF_TP_ADD_TC(tp, endpoints_parse_with_default_ports_and_loopback_check);
	ATF_TP_ADD_TC(tp, rewriting_keeps_scheme_userinfo_and_trailing_slash);
	ATF_TP_ADD_TC(tp, environment_routes_are_sorted_and_share_endpoints);
	ATF_TP_ADD_TC(tp, environment_without_usable_routes_is_an_error);
	ATF_TP_ADD_TC(tp, run_flags_set_the_usual_variables_to_the_first_endpoint);
	ATF_TP_ADD_TC(tp, route_spec_round_trips_and_rejects_bad_input);
	return atf_no_error();
}
