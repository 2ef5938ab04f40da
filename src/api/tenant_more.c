/*
 * tenant_more.c: the rest of the tenant-scoped data layer: findings with
 * filters, members and invitations, the caller's own profile, and the
 * writes of the scan worker pool (system writes, no caller).
 */
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "auth/auth.h"
#include "check/check.h"
#include "core/core.h"
#include "scan/scan.h"
#include "store/store.h"

static int add_str(struct buf *out, const char *key, const char *v, int comma)
{
	int r = buf_addf(out, "%s\"%s\":", comma ? "," : "", key);

	if (r == 0)
		r = v ? buf_add_json_str(out, v, strlen(v)) : buf_adds(out, "null");
	return r;
}

/* add_key: ,"key": (the key is a literal without escapes). */
static int add_key(struct buf *out, const char *key, size_t klen)
{
	int r = buf_grow(out, klen + 4);

	if (r == 0)
		r = buf_add(out, ",\"", 2);
	if (r == 0)
		r = buf_add(out, key, klen);
	return r ? r : buf_add(out, "\":", 2);
}

#define KEY(out, lit) add_key(out, lit, sizeof(lit) - 1)

static int add_strv(struct buf *out, const char *v)
{
	return v ? api_json_str(out, v, strlen(v)) : buf_add(out, "null", 4);
}

/*
 * The registry entry of a row's check and the JSON of its constant part
 * (tip, audience), kept while consecutive rows name the same check: the
 * list is ordered by check within a severity, so most rows reuse it.
 */
struct check_memo {
	char id[48];
	int valid;
	const struct check_def *d;
	enum check_lang lang;
	struct buf tail;
};

static int memo_fill(struct check_memo *m, const char *check)
{
	const struct check_def *d;
	int r;

	if (m->valid && check && strcmp(check, m->id) == 0)
		return 0;
	m->valid = 0;
	m->d = d = check ? check_find(check) : NULL;
	buf_reset(&m->tail);
	r = KEY(&m->tail, "tip");
	if (r == 0)
		r = add_strv(&m->tail, d ? check_tip(d, m->lang) : NULL);
	if (r == 0 && d) {
		r = buf_add(&m->tail, ",\"audience\":\"", 13);
		if (r == 0)
			r = check_aud_names(d->audience, &m->tail);
		if (r == 0)
			r = buf_addch(&m->tail, '"');
	} else if (r == 0) {
		r = buf_add(&m->tail, ",\"audience\":null", 16);
	}
	if (r == 0)
		r = buf_addch(&m->tail, '}');
	if (r == 0 && check && strlen(check) < sizeof(m->id)) {
		str_lcpy(m->id, check, sizeof(m->id));
		m->valid = 1;
	}
	return r;
}

static int finding_json(struct buf *out, struct store_stmt *s, struct check_memo *m)
{
	int r = memo_fill(m, stmt_column_text(s, 1));

	if (r == 0)
		r = buf_add(out, "{\"id\":", 6);
	if (r == 0)
		r = api_json_int(out, stmt_column_int64(s, 0));
	if (r == 0 && (r = KEY(out, "check_id")) == 0)
		r = add_strv(out, stmt_column_text(s, 1));
	if (r == 0 && (r = KEY(out, "severity")) == 0)
		r = add_strv(out, check_sev_name((enum check_sev)stmt_column_int64(s, 2)));
	if (r == 0 && (r = KEY(out, "confidence")) == 0)
		r = add_strv(out, check_conf_name((enum check_conf)stmt_column_int64(s, 3)));
	if (r == 0 && (r = KEY(out, "target")) == 0)
		r = add_strv(out, stmt_column_text(s, 4));
	if (r == 0 && (r = KEY(out, "port")) == 0)
		r = stmt_column_is_null(s, 5) ? buf_add(out, "null", 4)
					      : api_json_int(out, stmt_column_int64(s, 5));
	if (r == 0 && (r = KEY(out, "title")) == 0)
		r = api_json_title(out, m->d, stmt_column_text(s, 6), m->lang);
	if (r == 0 && (r = KEY(out, "evidence")) == 0)
		r = add_strv(out, stmt_column_text(s, 7));
	return r ? r : buf_add(out, m->tail.ptr, m->tail.len);
}

/* Filters that need the check registry (audience) run here, so limit and
 * offset count the rows after them. */
static int findings_rows(struct store_stmt *s, const struct tenant_finding_filter *f,
			 struct buf *out, int64_t *count)
{
	struct check_memo m = {.valid = 0, .lang = f->lang};
	int64_t skipped = 0, n = 0;
	int r = buf_addch(out, '[');

	buf_init(&m.tail, 64 * 1024);
	while (r == 0 && n < f->limit && (r = stmt_step(s)) == STORE_ROW) {
		r = 0;
		if (f->audience) {
			r = memo_fill(&m, stmt_column_text(s, 1));
			if (r)
				break;
			if (!m.d || !(m.d->audience & f->audience))
				continue;
		}
		if (skipped < f->offset) {
			skipped++;
			continue;
		}
		r = n++ ? buf_addch(out, ',') : 0;
		if (r == 0)
			r = finding_json(out, s, &m);
	}
	buf_release(&m.tail);
	if (r == STORE_DONE)
		r = 0;
	*count = n;
	return r < 0 ? r : buf_addch(out, ']');
}

/* 0 when the caller may read scan_id; its absence and a foreign scan look
 * alike (ERR_NOTFOUND). */
static int scan_readable(struct store *st, const struct authz_ctx *az, int64_t scan_id)
{
	struct store_stmt *s = NULL;
	int r;

	r = tenant_prepare_id(
	    st, "SELECT 1 FROM scans s WHERE s.id = ? AND " CAN("s.org_id", ORGS_READ), scan_id, az,
	    &s);
	if (r == 0)
		r = stmt_step(s);
	stmt_finalize(s);
	if (r == STORE_DONE)
		return ERR_NOTFOUND;
	return r == STORE_ROW ? 0 : r < 0 ? r : ERR_DB;
}

/* The ORDER BY is the column order of the index findings_scan_order
 * (migration 3): rows come out of the index in answer order and a page
 * stops after its rows, with no sort of all the scan's findings. */
const char tenant_findings_sql[] =
    "SELECT f.id, f.check_id, f.severity, f.confidence, f.target, f.port, f.title, f.evidence "
    "FROM findings f JOIN scans s ON s.id = f.scan_id WHERE f.scan_id = ? AND " CAN(
	"s.org_id", ORGS_READ) " AND f.severity >= ? AND (? = '' OR f.check_id LIKE ?) ORDER BY "
			       "f.severity DESC, f.check_id, f.id";

int tenant_findings_list(struct store *st, const struct authz_ctx *az, int64_t scan_id,
			 const struct tenant_finding_filter *f, struct buf *out)
{
	struct store_stmt *s = NULL;
	size_t clen = strlen(f->check), start = out->len;
	int r, prefix = clen > 0 && f->check[clen - 1] == '-';
	int64_t n = 0;
	char like[48];

	/* A prefix filter is "TLS-" -> LIKE 'TLS-%'; ids hold no % or _. */
	if ((size_t)snprintf(like, sizeof(like), "%s%s", f->check, prefix ? "%" : "") >=
	    sizeof(like))
		return ERR_INVAL;
	r = tenant_prepare_id(st, tenant_findings_sql, scan_id, az, &s);
	if (r == 0)
		r = stmt_bind_int64(s, 5, f->min_severity < 0 ? 0 : f->min_severity);
	if (r == 0)
		r = stmt_bind_text(s, 6, f->check);
	if (r == 0)
		r = stmt_bind_text(s, 7, like);
	if (r == 0)
		r = findings_rows(s, f, out, &n);
	stmt_finalize(s);
	/* The query itself is tenant-scoped; only an empty answer needs the
	 * second look that tells "no findings" from "no such scan". */
	if (r == 0 && n == 0 && (r = scan_readable(st, az, scan_id)) != 0)
		buf_truncate(out, start);
	return r;
}

static int member_row(struct buf *out, struct store_stmt *s, void *arg)
{
	int r = buf_addf(out, "{\"user_id\":%lld", (long long)stmt_column_int64(s, 0));

	(void)arg;
	if (r == 0)
		r = add_str(out, "email", stmt_column_text(s, 1), 1);
	if (r == 0)
		r = add_str(out, "name", stmt_column_text(s, 2), 1);
	if (r == 0)
		r = add_str(out, "role", stmt_column_text(s, 3), 1);
	if (r == 0)
		r = add_str(out, "since", stmt_column_text(s, 4), 1);
	return r ? r : buf_addch(out, '}');
}

int tenant_members_list(struct store *st, const struct authz_ctx *az, int64_t org_id,
			struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	r = tenant_prepare_id(
	    st,
	    "SELECT u.id, u.email, u.name, m.role, m.created_at FROM memberships m "
	    "JOIN users u ON u.id = m.user_id WHERE m.org_id = ? AND " CAN(
		"m.org_id", ORGS_READ) " ORDER BY u.id",
	    org_id, az, &s);
	if (r == 0)
		r = tenant_json_rows(out, s, member_row, NULL);
	stmt_finalize(s);
	return r;
}

int tenant_member_remove(struct store *st, const struct authz_ctx *az, int64_t org_id,
			 int64_t user_id)
{
	struct store_stmt *s = NULL;
	char detail[32];
	int r;

	if (user_id == az->user_id)
		return ERR_PERM; /* leave through another admin, not by accident */
	r = store_begin(st);
	if (r)
		return r;
	r = store_prepare(st,
			  "DELETE FROM memberships WHERE org_id = ? AND user_id = ? AND " CAN(
			      "org_id", ORGS_WRITE) " RETURNING user_id",
			  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, org_id);
	if (r == 0)
		r = stmt_bind_int64(s, 2, user_id);
	if (r == 0)
		r = tenant_bind_az(s, 3, az);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW)
		r = stmt_step(s) < 0 ? ERR_DB : 0;
	else if (r == STORE_DONE)
		r = ERR_NOTFOUND;
	stmt_finalize(s);
	snprintf(detail, sizeof(detail), "user %lld", (long long)user_id);
	if (r == 0)
		r = tenant_audit(st, az, org_id, "remove", "membership", detail);
	return tenant_end(st, r);
}

int tenant_invite_create(struct store *st, const struct authz_ctx *az, int64_t org_id,
			 const char *email, const char *role, time_t now,
			 char token[AUTH_TOKEN_SIZE], int64_t *id)
{
	char hash[AUTH_HASH_HEX_SIZE];
	struct store_stmt *s = NULL;
	int r;

	auth_token_new(token);
	auth_token_hash(token, strlen(token), hash);
	r = store_begin(st);
	if (r)
		return r;
	r = store_prepare(st,
			  "INSERT INTO invitations (token_hash, email, org_id, role, invited_by, "
			  "expires_at) SELECT ?, ?, o.id, ?, ?, ? FROM organisations o WHERE o.id "
			  "= ? AND " CAN("o.id", ORGS_WRITE) " RETURNING id",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = stmt_bind_text(s, 2, email);
	if (r == 0)
		r = stmt_bind_text(s, 3, role);
	if (r == 0)
		r = stmt_bind_int64(s, 4, az->user_id);
	if (r == 0)
		r = tenant_bind_time(s, 5, now + AUTH_INVITE_TTL_S);
	if (r == 0)
		r = stmt_bind_int64(s, 6, org_id);
	if (r == 0)
		r = tenant_bind_az(s, 7, az);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		*id = stmt_column_int64(s, 0);
		r = stmt_step(s) < 0 ? ERR_DB : 0;
	} else if (r == STORE_DONE) {
		r = ERR_NOTFOUND;
	}
	stmt_finalize(s);
	if (r == 0)
		r = tenant_audit(st, az, org_id, "invite", email, role);
	r = tenant_end(st, r);
	if (r)
		mem_zero(token, AUTH_TOKEN_SIZE);
	return r;
}

struct invite_row {
	int64_t id, org_id;
	char email[AUTH_EMAIL_MAX + 1];
	char role[16];
};

static int invite_take(struct store *st, const char *token, time_t now, struct invite_row *iv)
{
	char hash[AUTH_HASH_HEX_SIZE];
	struct store_stmt *s = NULL;
	int r;

	auth_token_hash(token, strlen(token), hash);
	r = store_prepare(st,
			  "SELECT id, org_id, email, role FROM invitations WHERE token_hash = ? "
			  "AND accepted_at IS NULL AND expires_at > ?",
			  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, hash);
	if (r == 0)
		r = tenant_bind_time(s, 2, now);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW) {
		iv->id = stmt_column_int64(s, 0);
		iv->org_id = stmt_column_int64(s, 1);
		str_lcpy(iv->email, stmt_column_text(s, 2), sizeof(iv->email));
		str_lcpy(iv->role, stmt_column_text(s, 3), sizeof(iv->role));
		r = 0;
	} else if (r == STORE_DONE) {
		r = ERR_AUTH;
	}
	stmt_finalize(s);
	if (r)
		return r;
	r = store_prepare(st, "UPDATE invitations SET accepted_at = ? WHERE id = ?", &s);
	if (r == 0)
		r = tenant_bind_time(s, 1, now);
	if (r == 0)
		r = stmt_bind_int64(s, 2, iv->id);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	return r;
}

int tenant_invite_accept(struct store *st, const char *token, const char *password, time_t now,
			 int64_t *user_id)
{
	struct store_stmt *s = NULL;
	struct invite_row iv;
	struct authz_ctx az;
	int64_t uid = 0;
	int r;

	if (strlen(token) != AUTH_TOKEN_LEN)
		return ERR_AUTH;
	r = store_begin(st);
	if (r)
		return r;
	r = invite_take(st, token, now, &iv);
	if (r == 0)
		r = auth_user_create(st, iv.email, password, 0, &uid);
	if (r == 0)
		r = store_prepare(
		    st, "INSERT INTO memberships (user_id, org_id, role) VALUES (?, ?, ?)", &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, uid);
	if (r == 0)
		r = stmt_bind_int64(s, 2, iv.org_id);
	if (r == 0)
		r = stmt_bind_text(s, 3, iv.role);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	memset(&az, 0, sizeof(az));
	az.user_id = uid;
	if (r == 0)
		r = tenant_audit(st, &az, iv.org_id, "accept", "invitation", iv.role);
	r = tenant_end(st, r);
	if (r == 0)
		*user_id = uid;
	return r;
}

static int membership_row(struct buf *out, struct store_stmt *s, void *arg)
{
	int r = buf_addf(out, "{\"org_id\":%lld", (long long)stmt_column_int64(s, 0));

	(void)arg;
	if (r == 0)
		r = add_str(out, "org_name", stmt_column_text(s, 1), 1);
	if (r == 0)
		r = add_str(out, "role", stmt_column_text(s, 2), 1);
	return r ? r : buf_addch(out, '}');
}

int tenant_me(struct store *st, const struct authz_ctx *az, struct buf *out)
{
	struct store_stmt *s = NULL;
	int r;

	r = buf_addf(out, "{\"id\":%lld", (long long)az->user_id);
	if (r == 0)
		r = add_str(out, "email", az->email, 1);
	if (r == 0)
		r = buf_addf(out, ",\"operator\":%s", az->operator? "true" : "false");
	/* Whether the second factor is on (the account page offers to set it
	 * up or to switch it off); the secret itself never leaves. */
	if (r == 0)
		r = store_prepare(
		    st,
		    "SELECT CASE WHEN totp_secret IS NULL THEN 0 ELSE 1 END FROM users "
		    "WHERE id = ?",
		    &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = stmt_step(s);
	if (r == STORE_ROW)
		r = buf_addf(out, ",\"totp\":%s,\"memberships\":",
			     stmt_column_int64(s, 0) == 1 ? "true" : "false");
	else if (r == STORE_DONE)
		r = ERR_AUTH;
	stmt_finalize(s);
	s = NULL;
	if (r == 0)
		r = store_prepare(st,
				  "SELECT m.org_id, o.name, m.role FROM memberships m JOIN "
				  "organisations o ON o.id = m.org_id WHERE m.user_id = ? ORDER BY "
				  "m.org_id",
				  &s);
	if (r == 0)
		r = stmt_bind_int64(s, 1, az->user_id);
	if (r == 0)
		r = tenant_json_rows(out, s, membership_row, NULL);
	if (r == 0)
		r = buf_addch(out, '}');
	stmt_finalize(s);
	return r;
}

int tenant_scan_set_status(struct store *st, int64_t scan_id, const char *status)
{
	struct store_stmt *s = NULL;
	int r = store_prepare(st, "UPDATE scans SET status = ? WHERE id = ?", &s);

	if (r == 0)
		r = stmt_bind_text(s, 1, status);
	if (r == 0)
		r = stmt_bind_int64(s, 2, scan_id);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	return r;
}

/* All findings and the final status in one transaction: a crash leaves the
 * scan "running" with no findings, never half of them. */
int tenant_scan_finish(struct store *st, int64_t scan_id, const struct scan_result *res,
		       const char *status)
{
	struct store_stmt *s = NULL;
	int r = store_begin(st);

	if (r)
		return r;
	r = scan_findings_add(st, scan_id, &res->findings);
	if (r == 0)
		r = store_prepare(st, "UPDATE scans SET status = ?, finished_at = ? WHERE id = ?",
				  &s);
	if (r == 0)
		r = stmt_bind_text(s, 1, status);
	if (r == 0)
		r = tenant_bind_time(s, 2, res->finished ? res->finished : time(NULL));
	if (r == 0)
		r = stmt_bind_int64(s, 3, scan_id);
	if (r == 0)
		r = stmt_step(s) == STORE_DONE ? 0 : ERR_DB;
	stmt_finalize(s);
	return tenant_end(st, r);
}
