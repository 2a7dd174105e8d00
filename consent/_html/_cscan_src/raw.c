/* Part of consent/_html/_cscan.c (raw text, script data, comments, long tags): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

/* -- raw text, script data, comments, long tags ---------------------------------------------------------- */

static int is_delim(u8 c) { return is_ws(c) || c == '/' || c == '>'; }

enum { T_NONE, T_OPEN, T_CLOSE, T_DSTART, T_DASHES };

/* the leftmost script-data token from i for escape state esc (consent/_html/pyraw.py: _SCRIPT_RX) */
static Py_ssize_t script_token(const u8 *b, Py_ssize_t n, Py_ssize_t i, int esc, int *kind) {
    for (Py_ssize_t p = i; p < n; p++) {
        u8 c = b[p];
        if (c == '<') {
            if (esc == SD && p + 4 <= n && b[p + 1] == '!' && b[p + 2] == '-' && b[p + 3] == '-') { *kind = T_OPEN; return p; }
            if (p + 9 <= n && b[p + 1] == '/' && ci_eq(b + p + 2, "script", 6) && is_delim(b[p + 8])) { *kind = T_CLOSE; return p; }
            if (esc == ESC && p + 8 <= n && ci_eq(b + p + 1, "script", 6) && is_delim(b[p + 7])) { *kind = T_DSTART; return p; }
        } else if (c == '-' && esc != SD) {
            if (p + 3 <= n && b[p + 1] == '-' && b[p + 2] == '>') { *kind = T_DASHES; return p; }
        } else if (esc == SD) {
            const u8 *lt = memchr(b + p, '<', n - p);
            if (!lt) return -1;
            p = lt - b - 1;
        }
    }
    return -1;
}

/* consent/_html/pyraw.py: raw_end */
static Py_ssize_t raw_end(Scanner *sc, Py_ssize_t pos, Py_ssize_t *scanned) {
    const u8 *b = sc->b;
    Py_ssize_t n = sc->n, keep = sc->raw_len + 3;
    if (!(sc->raw_len == 6 && memcmp(sc->raw_name, "script", 6) == 0)) {
        Py_ssize_t need = sc->raw_len + 3;
        for (Py_ssize_t p = pos; p + need <= n; p++) {
            const u8 *lt = memchr(b + p, '<', n - p);
            if (!lt) break;
            p = lt - b;
            if (p + need > n) break;
            if (b[p + 1] == '/' && ci_eq(b + p + 2, (const char *)sc->raw_name, sc->raw_len) && is_delim(b[p + 2 + sc->raw_len])) {
                *scanned = p;
                return p;
            }
        }
        *scanned = sc->final ? n : (n - keep > pos ? n - keep : pos);
        return -1;
    }
    Py_ssize_t i = pos;
    for (;;) {
        int kind = T_NONE;
        Py_ssize_t m = script_token(b, n, i, sc->esc, &kind);
        if (m < 0) {
            *scanned = sc->final ? n : (n - keep > i ? n - keep : i);
            return -1;
        }
        if (kind == T_DASHES) { sc->esc = SD; i = m + 3; }
        else if (kind == T_CLOSE) {
            if (sc->esc == DESC) { sc->esc = ESC; i = m + 9; }
            else { *scanned = m; return m; }
        } else if (kind == T_OPEN) { sc->esc = ESC; i = m + 2; }
        else { sc->esc = DESC; i = m + 8; }
    }
}

static Py_ssize_t comment_end(const u8 *b, Py_ssize_t n, Py_ssize_t pos) {
    for (Py_ssize_t p = pos; p + 3 <= n; p++) {
        if (b[p] != '-') {
            const u8 *dash = memchr(b + p, '-', n - p);
            if (!dash) return -1;
            p = dash - b;
            if (p + 3 > n) return -1;
        }
        if (b[p + 1] != '-') continue;
        if (b[p + 2] == '>') return p + 3;
        if (b[p + 2] == '!' && p + 4 <= n && b[p + 3] == '>') return p + 4;
    }
    return -1;
}

/* consent/_html/pyraw.py: SkipState.run; returns the end of the tag (and sets *done) or n */
static Py_ssize_t skip_run(Scanner *sc, Py_ssize_t pos, int *done) {
    const u8 *b = sc->b;
    Py_ssize_t n = sc->n;
    int st = sc->skip_state;
    *done = 0;
    for (;;) {
        switch (st) {
        case S_NAME: while (pos < n && !is_ws(b[pos]) && b[pos] != '/' && b[pos] != '>') pos++; break;
        case S_BEFORE: while (pos < n && (is_ws(b[pos]) || b[pos] == '/')) pos++; break;
        case S_ATTR: while (pos < n && !is_ws(b[pos]) && b[pos] != '/' && b[pos] != '>' && b[pos] != '=') pos++; break;
        case S_AFTER_NAME: case S_BEFORE_VALUE: while (pos < n && is_ws(b[pos])) pos++; break;
        case S_UNQUOTED: while (pos < n && !is_ws(b[pos]) && b[pos] != '>') pos++; break;
        case S_PLAIN: { const u8 *gt = pos < n ? memchr(b + pos, '>', n - pos) : NULL; pos = gt ? gt - b : n; break; }
        case S_DQ: case S_SQ: {
            const u8 *close = pos < n ? memchr(b + pos, st == S_DQ ? '"' : '\'', n - pos) : NULL;
            if (!close) { sc->skip_state = st; return n; }
            st = S_AFTER_QUOTED;
            pos = close - b + 1;
            continue;
        }
        default: break; /* S_AFTER_QUOTED: no run */
        }
        if (pos >= n) { sc->skip_state = st; return n; }
        u8 c = b[pos];
        if (c == '>') { *done = 1; return pos + 1; }
        switch (st) {
        case S_NAME: case S_UNQUOTED: st = S_BEFORE; break;
        case S_BEFORE: st = S_ATTR; pos++; break;
        case S_ATTR:
            if (c == '=') { st = S_BEFORE_VALUE; pos++; }
            else if (is_ws(c)) st = S_AFTER_NAME;
            else { st = S_BEFORE; pos++; }
            break;
        case S_AFTER_NAME:
            if (c == '=') st = S_BEFORE_VALUE;
            else st = c == '/' ? S_BEFORE : S_ATTR;
            pos++;
            break;
        case S_BEFORE_VALUE:
            if (c == '"') { st = S_DQ; pos++; }
            else if (c == '\'') { st = S_SQ; pos++; }
            else st = S_UNQUOTED;
            break;
        default: /* S_AFTER_QUOTED */
            st = (is_ws(c) || c == '/') ? S_BEFORE : S_ATTR;
            pos++;
            break;
        }
    }
}
