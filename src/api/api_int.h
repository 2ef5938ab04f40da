/*
 * api_int.h: private to src/api: the tenant-scoped data layer (tenant.c)
 * that every handler goes through, JSON helpers and TESTABLE internals.
 * Every tenant_* function takes the caller's authz_ctx and adds the tenant
 * condition in SQL itself; an object the caller may not see is
 * ERR_NOTFOUND (never "forbidden", which would confirm it exists).
 */
#ifndef WACHTER_API_INT_H
#define WACHTER_API_INT_H

#include <stdint.h>
#include <time.h>

#include "api/api.h"
#include "auth/auth.h"
#include "check/check.h"
#include "core/core.h"

struct store;
struct scan_result;

/* What a caller may do with an organisation. */
enum tenant_level {
	TENANT_PROFILE = 1, /* its name and sector (associations, insurers) */
	TENANT_READ,	    /* its assets, scans, findings, members */
	TENANT_WRITE,	    /* change it (admin, IT partner of the client) */
};

struct tenant_org_in {
	const char *name, *kvk, *sector, *size_class;
	int64_t partner_org_id; /* 0 = none: the caller becomes its admin */
};

struct tenant_asset {
	int64_t id, org_id;
	char kind[16];
	char value[256];
	char token[AUTH_TOKEN_SIZE];
	int verified;
};

struct tenant_finding_filter {
	int min_severity;  /* -1 = any */
	char check[40];	   /* "" = any; a prefix ends in '-' ("TLS-") */
	unsigned audience; /* enum check_aud bits; 0 = any */
	int64_t limit, offset;
	enum check_lang lang; /* of titles and tips (the stored detail stays as it is) */
};

int tenant_org_level(struct store *st, const struct authz_ctx *az, int64_t org_id,
		     enum tenant_level *level) WUR;
int tenant_orgs_list(struct store *st, const struct authz_ctx *az, struct buf *out) WUR;
int tenant_org_get(struct store *st, const struct authz_ctx *az, int64_t id, struct buf *out) WUR;
int tenant_org_create(struct store *st, const struct authz_ctx *az, const struct tenant_org_in *in,
		      int64_t *id) WUR;
/* tenant_signup: a new user and a new organisation with that user as its
 * admin, in one transaction (no caller: anyone may sign up). ERR_EXISTS
 * when the e-mail has an account, ERR_INVAL for a bad e-mail/password. */
int tenant_signup(struct store *st, const char *email, const char *password,
		  const struct tenant_org_in *in, int64_t *user_id, int64_t *org_id) WUR;
int tenant_assets_list(struct store *st, const struct authz_ctx *az, int64_t org_id,
		       struct buf *out) WUR;
int tenant_asset_create(struct store *st, const struct authz_ctx *az, int64_t org_id,
			const char *kind, const char *value, struct tenant_asset *out) WUR;
int tenant_asset_get(struct store *st, const struct authz_ctx *az, int64_t id,
		     enum tenant_level need, struct tenant_asset *out) WUR;
int tenant_asset_verified(struct store *st, const struct authz_ctx *az, int64_t id,
			  const char *method, time_t now) WUR;
int tenant_scan_create(struct store *st, const struct authz_ctx *az, int64_t asset_id, time_t now,
		       int64_t *scan_id, char target[256]) WUR;
int tenant_scan_get(struct store *st, const struct authz_ctx *az, int64_t id, struct buf *out) WUR;
int tenant_findings_list(struct store *st, const struct authz_ctx *az, int64_t scan_id,
			 const struct tenant_finding_filter *f, struct buf *out) WUR;
/* Its query (binds: scan id, CAN(), min severity, check, LIKE pattern),
 * here so a test can check its plan. */
extern const char tenant_findings_sql[];
/* The scans of an organisation, newest first (read access). status "" =
 * any. */
struct tenant_scan_filter {
	char status[16];
	int64_t limit, offset;
};

/* tenant_scans_list: a JSON array of {id, asset_id, target, status,
 * started_at, finished_at, counts:{critical..info}} (one grouped query). */
int tenant_scans_list(struct store *st, const struct authz_ctx *az, int64_t org_id,
		      const struct tenant_scan_filter *f, struct buf *out) WUR;
/* tenant_org_summary: "how safe is my company?" (read access): the open
 * findings (those of the newest finished scan of each asset) by severity,
 * those scans, the trend of the last TENANT_TREND_MAX finished scans
 * (oldest first) and the TENANT_WORST_MAX worst open findings. */
#define TENANT_TREND_MAX 12
#define TENANT_WORST_MAX 5
int tenant_org_summary(struct store *st, const struct authz_ctx *az, int64_t org_id,
		       enum check_lang lang, struct buf *out) WUR;
/* api_req_lang: the language of a request's answer texts from its
 * Accept-Language (nl unless English is preferred, like the mails). */
enum check_lang api_req_lang(const struct api_req *rq);
/* api_json_title: a stored finding title as a JSON string in lang. The
 * scanner stores "<English check title>[: <detail>]"; when it starts with
 * the title of d, that part is replaced by d's title in lang, the detail
 * kept. Any other stored title (an older check title) is written as is. */
int api_json_title(struct buf *out, const struct check_def *d, const char *stored,
		   enum check_lang lang) WUR;

/* The SBI sections A..U (data/sectors.tsv): organisations.sector. */
#define TENANT_SECTORS 21
/* tenant_agg_scope: the sectors whose aggregates the caller may see, as
 * bits (1 << (letter - 'A')): every sector for operators and insurers, the
 * sector of each association organisation the caller belongs to; ERR_PERM
 * for everyone else (companies, partners: 403). */
int tenant_agg_scope(struct store *st, const struct authz_ctx *az, uint32_t *sectors) WUR;
/* tenant_aggregates: a JSON array, one object per sector the caller may
 * see (only `sector` when 0, else that one; ERR_NOTFOUND when not
 * visible), from the newest finished scan of each asset of each company
 * of the sector. Sectors with fewer than TENANT_K_ANON scanned companies
 * are only {"sector","suppressed":true}. Never an organisation's id,
 * name, KvK number or target. */
#define TENANT_K_ANON 5
int tenant_aggregates(struct store *st, const struct authz_ctx *az, char sector,
		      struct buf *out) WUR;
int tenant_members_list(struct store *st, const struct authz_ctx *az, int64_t org_id,
			struct buf *out) WUR;
/* tenant_member_remove: end user_id's membership of org_id (write access
 * needed); ERR_PERM for the caller's own membership, ERR_NOTFOUND. */
int tenant_member_remove(struct store *st, const struct authz_ctx *az, int64_t org_id,
			 int64_t user_id) WUR;
int tenant_invite_create(struct store *st, const struct authz_ctx *az, int64_t org_id,
			 const char *email, const char *role, time_t now,
			 char token[AUTH_TOKEN_SIZE], int64_t *id) WUR;
/* tenant_invite_accept: the token is the authorisation; creates the user
 * (ERR_EXISTS when the e-mail has an account) and the membership. */
int tenant_invite_accept(struct store *st, const char *token, const char *password, time_t now,
			 int64_t *user_id) WUR;
int tenant_me(struct store *st, const struct authz_ctx *az, struct buf *out) WUR;
/* tenant_audit: one audit_log row (best effort is not allowed: callers
 * run it inside the transaction of the change). */
int tenant_audit(struct store *st, const struct authz_ctx *az, int64_t org_id, const char *action,
		 const char *object, const char *detail) WUR;

/* Scan results, written by the worker pool (no caller: system writes). */
int tenant_scan_finish(struct store *st, int64_t scan_id, const struct scan_result *res,
		       const char *status) WUR;
int tenant_scan_set_status(struct store *st, int64_t scan_id, const char *status) WUR;

/* Ownership checks (verify.c): 0 when the token is published, else
 * ERR_NOTFOUND, or ERR_CONN/ERR_TIMEOUT/ERR_RESOLVE when unreachable. */
struct wachter_config;
struct logger;
int api_verify_dns(const struct wachter_config *cfg, const char *name, const char *token,
		   struct logger *lg) WUR;
int api_verify_file(const struct wachter_config *cfg, const char *host, const char *token,
		    struct logger *lg) WUR;

/* api_body_json: parse rq's body as a JSON object (duplicate keys
 * refused) with only the allowed keys; on bad input rs holds a 400 and
 * *obj (a json_t *) is NULL. An empty body is {} when empty_ok. Returns 0
 * or ERR_NOMEM. */
struct json_t;
int api_body_json(const struct api_req *rq, const char *const *allowed, int empty_ok,
		  struct api_resp *rs, struct json_t **obj);

/*
 * Outgoing mail (mail.c). Every function that queues returns ERR_UNSUPP
 * when no mail relay is configured (c->mailer NULL), ERR_INVAL for an
 * address or text that could not go into a message safely, ERR_TOO_BIG
 * when the queue (API_MAIL_QUEUE_CAP) is full, ERR_CANCELED while the
 * server stops. Delivery happens later in the sender's thread; its
 * failures are logged there (never the message or a token).
 */
#define API_MAIL_QUEUE_CAP 64
#define API_MAIL_INVITES_PER_HOUR 30 /* invitation mails per inviter (not operators) */
enum api_lang { API_LANG_NL = 0, API_LANG_EN };
/* api_mail_lang: the language for a message from Accept-Language: the
 * one of nl/en (with any region) of the highest q; nl when neither. */
int api_mail_lang(const char *accept_language);
/* api_mail_text_ok: 1 when s[0..len) is valid UTF-8 without control
 * characters (C0, DEL, C1; a tab only when tab_ok). */
int api_mail_text_ok(const char *s, size_t len, int tab_ok);
/* api_mail_url_ok: an smtp:// or smtps:// URL with a host, printable
 * ASCII without spaces. */
int api_mail_url_ok(const char *url);
/* api_mail_subject: subject as a header value: as is when printable
 * ASCII, else RFC 2047 B-encoded words (UTF-8, folded). ERR_INVAL for
 * control characters, invalid UTF-8, empty or over 200 bytes. */
int api_mail_subject(struct buf *out, const char *subject) WUR;
/* api_mail_compose: the whole message (Date, From, To, Message-ID
 * <msgid@from's domain>, Subject, MIME headers, CRLF body lines) into
 * out. from/to as auth_email_valid; body UTF-8 text with "\n" lines of at
 * most 998 bytes, no control characters but tab. ERR_INVAL otherwise. */
int api_mail_compose(const char *from, const char *to, const char *subject, const char *body,
		     time_t now, const char *msgid, struct buf *out) WUR;
/* api_mail_queue: compose and queue one message; kind names it in logs. */
int api_mail_queue(struct api_mailer *m, const char *kind, const char *to, const char *subject,
		   const char *body) WUR;
/* api_mail_reset: queue the password-reset message with token for to, in
 * the language of rq's Accept-Language (default nl). */
int api_mail_reset(struct api_ctx *c, const struct api_req *rq, const char *to,
		   const char *token) WUR;
/*
 * api_mail_invitation: queue the invitation to org_id for to with role
 * ("admin", "member", "partner", "association", "insurer") from the inviter az: Dutch or English by
 * rq's Accept-Language (default nl; the dashboard sends its language),
 * naming the inviter and the organisation, with the accept link
 * <serve.public_url>/invite#<token> and the token as a code. Call it after
 * tenant_invite_create succeeded. On 0 the token went only into the mail:
 * do NOT return it to the inviter (whoever holds it can create the account
 * of that address, so only the mailbox's owner may have it). On
 * ERR_UNSUPP (no relay configured) return the token as before; on other
 * errors the invitation exists but no mail is on its way: answer without
 * the token and say so (the inviter can invite again). ERR_PERM when the
 * inviter (not an operator) sent API_MAIL_INVITES_PER_HOUR this hour.
 */
int api_mail_invitation(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			int64_t org_id, const char *to, const char *role, const char *token) WUR;

/* api_json_str: s[0..len) as a JSON string, byte for byte the output of
 * buf_add_json_str (quotes, \" \\ \n \r \t, \u00XX for the other
 * control bytes and 0x7f, everything else as is), only faster. On failure
 * (ERR_TOO_BIG, ERR_NOMEM) b is left as it was. */
int api_json_str(struct buf *b, const char *s, size_t len) WUR;
/* api_json_str2: s1 followed by s2 as one JSON string, likewise. */
int api_json_str2(struct buf *b, const char *s1, size_t len1, const char *s2, size_t len2) WUR;
/* api_json_int: v in decimal, as "%lld" writes it. */
int api_json_int(struct buf *b, int64_t v) WUR;
/* api_json_key: ,"key": (comma 1) or "key": for a literal key without
 * escapes; API_KEY(b, "lit") for a string literal. */
int api_json_key(struct buf *b, const char *key, size_t klen, int comma) WUR;
#define API_KEY(b, lit) api_json_key(b, lit, sizeof(lit) - 1, 1)
/* api_json_strz: a NUL-terminated string or null. */
int api_json_strz(struct buf *b, const char *s) WUR;
/* api_json_counts: {"critical":n[4],...,"info":n[0]} (n by enum check_sev). */
int api_json_counts(struct buf *b, const int64_t n[5]) WUR;

/* Query-string filters for the findings list; ERR_INVAL on a bad value. */
int api_findings_filter(const char *q, size_t len, struct tenant_finding_filter *f,
			struct buf *err);
/* Query-string filters for the scans list; ERR_INVAL (message in err). */
int api_scans_filter(const char *q, size_t len, struct tenant_scan_filter *f, struct buf *err);
/* The ?sector= of the aggregates: *sector 0 when absent, else A..U. */
int api_sector_filter(const char *q, size_t len, char *sector, struct buf *err);
/* api_verify_match: 1 when txt (a TXT record or file body) holds
 * "wachter-verify=<token>" as a whole line/record. */
int api_verify_match(const char *txt, size_t len, const char *token);

/*
 * The organisations a user reaches, per level: a direct membership with a
 * role of that level, or a client of an IT partner organisation where the
 * user is a 'partner'. Each fragment takes (uid, uid); the full condition
 * "(? = 1 OR x IN (...))" takes (operator, uid, uid): see bind_az.
 */
#define ORGS_VIA_PARTNER                                                                           \
	" UNION SELECT pc.client_org_id FROM partner_clients pc JOIN memberships pm "              \
	"ON pm.org_id = pc.partner_org_id WHERE pm.user_id = ? AND pm.role = 'partner'"
#define ORGS_WRITE                                                                                 \
	"SELECT m.org_id FROM memberships m WHERE m.user_id = ? AND m.role IN ('admin', "          \
	"'partner')" ORGS_VIA_PARTNER
#define ORGS_READ                                                                                  \
	"SELECT m.org_id FROM memberships m WHERE m.user_id = ? AND m.role IN ('admin', "          \
	"'member', 'partner')" ORGS_VIA_PARTNER
#define ORGS_PROFILE "SELECT m.org_id FROM memberships m WHERE m.user_id = ?" ORGS_VIA_PARTNER
#define CAN(col, set) "(? = 1 OR " col " IN (" set "))"

struct store_stmt;

/* tenant_bind_az: bind the three parameters of CAN() from idx on
 * (operator flag, user id twice). */
int tenant_bind_az(struct store_stmt *s, int idx, const struct authz_ctx *az) WUR;
/* tenant_prepare_id: prepare sql whose parameters are an id and then the
 * three of CAN(), and bind them. */
int tenant_prepare_id(struct store *st, const char *sql, int64_t id, const struct authz_ctx *az,
		      struct store_stmt **s) WUR;
/* tenant_end: commit the transaction when r is 0 (the commit's result),
 * else roll it back (r). */
int tenant_end(struct store *st, int r) WUR;
/* tenant_bind_time: bind t as RFC 3339 text. */
int tenant_bind_time(struct store_stmt *s, int idx, time_t t) WUR;
/* tenant_json_rows: step s to the end writing a JSON array, each row by
 * row(out, s, arg) (an element without the separating comma). */
typedef int (*tenant_row_fn)(struct buf *out, struct store_stmt *s, void *arg);
int tenant_json_rows(struct buf *out, struct store_stmt *s, tenant_row_fn row, void *arg) WUR;

/*
 * account.c: the caller's own account and an organisation's audit log.
 * API tokens and sessions are the caller's (user_id = az->user_id in SQL);
 * a session is named by the first ACCOUNT_SESSION_ID_LEN hex digits of
 * its token's SHA-256 (never the token). current is the caller's session
 * token (NULL when signed in by an API token).
 */
#define ACCOUNT_SESSION_ID_LEN 16
#define ACCOUNT_AUDIT_LIMIT 50
#define ACCOUNT_AUDIT_LIMIT_MAX 200
#define ACCOUNT_AUDIT_OFFSET_MAX 1000000
/* account_session_id_ok: 1 when id is ACCOUNT_SESSION_ID_LEN lower-case
 * hex digits. */
int account_session_id_ok(const char *id);
/* tenant_tokens_list: [{id, name, created_at, expires_at}], oldest first. */
int tenant_tokens_list(struct store *st, const struct authz_ctx *az, struct buf *out) WUR;
/* tenant_token_revoke: delete one of the caller's tokens (audited);
 * ERR_NOTFOUND for another user's or an unknown one. */
int tenant_token_revoke(struct store *st, const struct authz_ctx *az, int64_t id) WUR;
/* tenant_sessions_list: the caller's unexpired sessions, newest first:
 * [{id, created_at, expires_at, current}]. */
int tenant_sessions_list(struct store *st, const struct authz_ctx *az, const char *current,
			 time_t now, struct buf *out) WUR;
/* tenant_sessions_end: end the caller's session id, or (id NULL) all but
 * current; *ended the number ended (audited when > 0). ERR_NOTFOUND for
 * an id that is not one of the caller's. */
int tenant_sessions_end(struct store *st, const struct authz_ctx *az, const char *id,
			const char *current, int64_t *ended) WUR;
/* tenant_password_change: check current_pw against the stored argon2id
 * hash (ERR_AUTH), store new_pw's (ERR_INVAL for a bad length), end every
 * other session and audit, in one transaction. API tokens stay. */
int tenant_password_change(struct store *st, const struct authz_ctx *az, const char *current_pw,
			   const char *new_pw, const char *current) WUR;
/* tenant_org_audit: the audit log of org_id, newest first, for callers
 * with write access (others ERR_NOTFOUND): [{id, at, actor, actor_email,
 * action, object, detail}]; actor is "system" (actor_email null), "user"
 * (an address the caller may see anyway), or "operator", "partner",
 * "former" with actor_email that word ("former member"), not the address. */
int tenant_org_audit(struct store *st, const struct authz_ctx *az, int64_t org_id, int64_t limit,
		     int64_t offset, struct buf *out) WUR;
/* Its query (here so a test can check its plan). */
extern const char tenant_audit_sql[];
/* api_password_body: the body of POST /api/me/password: on success *obj
 * (a json_t * to release) holds it and current/new_pw point into it (NUL
 * free, 1..AUTH_PASSWORD_MAX bytes, the new one at least
 * AUTH_PASSWORD_MIN); else *obj is NULL and rs holds the 400. Returns 0
 * or ERR_NOMEM. */
int api_password_body(const struct api_req *rq, struct api_resp *rs, struct json_t **obj,
		      const char **current, const char **new_pw);
/* api_audit_filter: ?limit= (1..ACCOUNT_AUDIT_LIMIT_MAX, default
 * ACCOUNT_AUDIT_LIMIT) and ?offset= (0..ACCOUNT_AUDIT_OFFSET_MAX) of the
 * audit log, nothing else; ERR_INVAL with the message in err. */
int api_audit_filter(const char *q, size_t len, int64_t *limit, int64_t *offset, struct buf *err);
int api_h_tokens_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs);
int api_h_token_revoke(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		       struct api_resp *rs);
int api_h_sessions_list(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			struct api_resp *rs);
int api_h_session_end(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		      struct api_resp *rs);
int api_h_sessions_end_others(struct api_ctx *c, const struct api_req *rq,
			      const struct authz_ctx *az, struct api_resp *rs);
int api_h_password_change(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
			  struct api_resp *rs);
int api_h_org_audit(struct api_ctx *c, const struct api_req *rq, const struct authz_ctx *az,
		    struct api_resp *rs);

#endif
