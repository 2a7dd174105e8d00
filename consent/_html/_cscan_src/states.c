/* Part of consent/_html/_cscan.c (the states of the scan): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

/* -- the states of the scan (consent/_html/pyscan.py: PureScanner) --------------------------------------- */

static void begin_raw(Scanner *sc, const u8 *name, int len) {
    memcpy(sc->raw_name, name, len);
    sc->raw_len = len;
    sc->esc = SD;
    sc->raw_scanned = 0;
}

static void enter_raw(Scanner *sc, const u8 *name, int len) {
    if (name_class(name, len) & N_PLAINTEXT) sc->mode = M_PLAIN;
    else { begin_raw(sc, name, len); sc->mode = M_RAW; }
}

static Py_ssize_t after_skip(Scanner *sc, Py_ssize_t e) {
    int len = sc->then_raw_len;
    sc->then_raw_len = 0;
    sc->mode = M_DATA;
    if (len) enter_raw(sc, sc->then_raw, len);
    return e;
}

static Py_ssize_t skip(Scanner *sc, Py_ssize_t pos) {
    int done;
    Py_ssize_t stop = skip_run(sc, pos, &done);
    return done ? after_skip(sc, stop) : stop;
}

/* a tag longer than max_tag: reported by its start, then followed (pyscan: _too_long) */
static void too_long(Scanner *sc, Py_ssize_t p, const Tag *tg) {
    const TagRule *rule = tg->rule;
    if (rule && rule->start != NEVER && !tg->is_end) emit(sc, EV_TOO_LONG, rule->pyname, p, tg->name_end, -1, 0);
    int foreign = in_foreign(sc);
    if (tg->nlen > 0) foreign_step(sc, tg->flags, tg->is_end, 0, 0, 0);
    sc->skip_state = S_NAME;
    sc->then_raw_len = 0;
    if (!tg->is_end && !foreign && (tg->flags & N_RAW)) {
        memcpy(sc->then_raw, tg->name, tg->nlen);
        sc->then_raw_len = tg->nlen;
    }
}

static Py_ssize_t do_raw(Scanner *sc, Py_ssize_t pos) {
    Py_ssize_t scanned, c = raw_end(sc, pos, &scanned);
    if (c < 0) return scanned;
    sc->mode = M_DATA;
    return c;
}

/* held content of a registered raw-text element whose start tag is [p, e) (pyscan: _content) */
static Py_ssize_t content(Scanner *sc, Py_ssize_t p, Py_ssize_t e, int resume) {
    const TagRule *rule = spec_rule(sc->spec, sc->raw_name, sc->raw_len);
    Py_ssize_t start = resume ? sc->raw_scanned : e, scanned;
    Py_ssize_t c = raw_end(sc, start, &scanned);
    Py_ssize_t limit = c >= 0 ? c : scanned;
    if (rule && rule->has_needles && sc->hold_search) {
        Py_ssize_t from = start - 63 > e ? start - 63 : e;
        if (!rule->any_needle) needles_collect(&rule->needles, sc->b, from, limit, sc->hold_bits);
        else if (!sc->hold_bits[0] && needles_find(&rule->needles, sc->b, from, limit)) sc->hold_bits[0] = 1;
    }
    PyObject *name = rule ? rule->pyname : NULL;
    if ((c >= 0 ? c : sc->n) - e > sc->spec->max_content) {
        if (name) emit(sc, EV_TRUNCATED, name, p, e, -1, 0);
        sc->mode = c >= 0 ? M_DATA : M_RAW;
        return c >= 0 ? c : scanned;
    }
    if (c < 0 && !sc->final) {
        sc->raw_scanned = scanned - p;
        sc->hold_tag = e - p;
        sc->mode = M_HOLD;
        sc->wait = "</";
        return p;
    }
    if (c < 0) c = sc->n;
    if ((sc->hold_report || any_bit(sc->hold_bits)) && name) {
        PyObject *hits = hits_tuple(sc->hold_bits);
        emit_hits(sc, EV_CONTENT, name, p, e, c, hits);
        Py_XDECREF(hits);
    }
    sc->mode = M_DATA;
    return c;
}

/* the complete tag [p, tg->end) (pyscan: _tag) */
static Py_ssize_t tag(Scanner *sc, Py_ssize_t p, Tag *tg) {
    Py_ssize_t e = tg->end;
    if (e - p > sc->spec->max_tag) {
        too_long(sc, p, tg);
        return after_skip(sc, e);
    }
    int foreign = in_foreign(sc);
    if (tg->flags || sc->depth) foreign_step(sc, tg->flags, tg->is_end, tg->self_closing, tg->font_breaks, tg->annot_html);
    const TagRule *rule = tg->rule;
    if (tg->is_end) {
        if (rule && rule->end) emit(sc, EV_END, rule->pyname, p, e, -1, 0);
        return e;
    }
    int raw = !foreign && (tg->flags & N_RAW);
    int report = (rule && rule->start == ALWAYS) || tg->trigger;
    if (raw && rule && rule->content) {
        begin_raw(sc, tg->name, tg->nlen);
        memset(sc->hold_bits, 0, sizeof sc->hold_bits);
        sc->hold_report = report;
        sc->hold_search = rule_searches(rule, tg->when_present, sc->b + tg->when_vs, tg->when_ve - tg->when_vs);
        return content(sc, p, e, 0);
    }
    if (report) emit_tag(sc, EV_START, rule, p, tg->name_end, e, -1, 0);
    if (raw) enter_raw(sc, tg->name, tg->nlen);
    return e;
}

/* something unfinished starts at `start` (pyscan: _unfinished) */
static Py_ssize_t unfinished(Scanner *sc, Py_ssize_t start) {
    const u8 *b = sc->b;
    Py_ssize_t n = sc->n, limit = sc->spec->max_tag;
    int is_tag = start + 1 < n && (is_alpha(b[start + 1]) || (b[start + 1] == '/' && start + 2 < n && is_alpha(b[start + 2])));
    if (!is_tag) {
        const u8 *gt = memchr(b + start, '>', n - start);
        if (gt && gt - b + 1 - start > limit) return gt - b + 1;
        if (n - start <= limit) {
            if (sc->final) return n;
            sc->wait = n - start >= 9 ? ">" : NULL;
            return start;
        }
        sc->skip_state = S_PLAIN;
        sc->then_raw_len = 0;
        sc->mode = M_SKIP;
        return skip(sc, start + 1);
    }
    Tag tg;
    parse_tag(sc->spec, b, start, n, &tg);
    if (tg.end >= 0) return tag(sc, start, &tg);
    if (n - start <= limit) {
        if (sc->final) return n;
        sc->wait = ">";
        return start;
    }
    too_long(sc, start, &tg);
    sc->mode = M_SKIP;
    return skip(sc, tg.name_end);
}

static Py_ssize_t bogus(Scanner *sc, Py_ssize_t p) {
    const u8 *gt = memchr(sc->b + p + 1, '>', sc->n - p - 1);
    return gt ? gt - sc->b + 1 : unfinished(sc, p);
}

/* the data state (pyscan: _data): every tag is parsed, only what the spec asks for is reported */
static Py_ssize_t data(Scanner *sc, Py_ssize_t q) {
    const u8 *b = sc->b;
    Py_ssize_t n = sc->n;
    for (;;) {
        if (sc->failed) return q;
        const u8 *lt = q < n ? memchr(b + q, '<', n - q) : NULL;
        if (!lt) return n;
        Py_ssize_t p = lt - b;
        if (p + 1 >= n) return unfinished(sc, p);
        u8 c = b[p + 1];
        Py_ssize_t r;
        if (c == '!') {
            if (p + 4 <= n && b[p + 2] == '-' && b[p + 3] == '-') {
                if (p + 4 < n && b[p + 4] == '>') { q = p + 5; continue; }
                if (p + 5 < n && b[p + 4] == '-' && b[p + 5] == '>') { q = p + 6; continue; }
                if (!sc->final && (p + 4 == n || (p + 5 == n && b[p + 4] == '-'))) return p;
                sc->mode = M_COMMENT;
                return p + 4;
            }
            if (p + 9 <= n && ci_eq(b + p + 2, "doctype", 7)) {
                const u8 *gt = memchr(b + p, '>', n - p);
                if (!gt || gt - b + 1 - p > sc->spec->max_tag) return unfinished(sc, p);
                emit(sc, EV_DOCTYPE, EMPTY, p, gt - b + 1, -1, 0);
                q = gt - b + 1;
                if (sc->paused) return q;
                continue;
            }
            if (in_foreign(sc) && p + 9 <= n && memcmp(b + p + 2, "[CDATA[", 7) == 0) {
                sc->mode = M_CDATA;
                return p + 9;
            }
            r = bogus(sc, p);
            if (r == p || sc->mode != M_DATA || sc->paused) return r;
            q = r;
            continue;
        }
        if (c == '?' || (c == '/' && p + 2 < n && !is_alpha(b[p + 2]))) {
            r = bogus(sc, p);
            if (r == p || sc->mode != M_DATA || sc->paused) return r;
            q = r;
            continue;
        }
        if (c == '/' && p + 2 >= n) return unfinished(sc, p);
        if (!is_alpha(c) && c != '/') { q = p + 1; continue; }
        Tag tg;
        parse_tag(sc->spec, b, p, n, &tg);
        r = tg.end < 0 ? unfinished(sc, p) : tag(sc, p, &tg);
        if (r == p || sc->mode != M_DATA || sc->paused) return r;
        q = r;
    }
}
