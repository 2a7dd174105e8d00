/* Part of consent/_html/_cscan.c (URL verdicts): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

/* -- URL verdicts (consent/_html/spec.py: url_verdict and friends) ------------------------------------- */

static int scheme_char(u8 c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'; }
static int host_char(u8 c) {
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '~' || c == ':' ||
           c == '@' || c == '[' || c == ']';
}
static int is_amp(const u8 *v, Py_ssize_t n, Py_ssize_t k) { return k + 5 <= n && memcmp(v + k, "&amp;", 5) == 0; }
static int hides(const u8 *v, Py_ssize_t n, Py_ssize_t k) {
    u8 c = v[k];
    return c == '\\' || c == '\t' || c == '\n' || c == '\r' || (c == '&' && !is_amp(v, n, k));
}
static int ci_eq(const u8 *p, const char *word, Py_ssize_t len) {
    for (Py_ssize_t i = 0; i < len; i++) if (lower(p[i]) != (u8)word[i]) return 0;
    return 1;
}

/* 1 when a fetch of this raw value could go to a listed host, or cannot be decided from its bytes */
static int authority_triggers(const HostSet *hs, const u8 *v, Py_ssize_t n, Py_ssize_t a) {
    Py_ssize_t e = a;
    while (e < n && v[e] != '/' && v[e] != '?' && v[e] != '#' && v[e] != '\\') {
        if (!host_char(v[e])) return 1;
        e++;
    }
    Py_ssize_t hs_start = a;
    for (Py_ssize_t i = a; i < e; i++) if (v[i] == '@') hs_start = i + 1;
    Py_ssize_t he = e;
    if (!(hs_start < e && v[hs_start] == '[')) {
        for (Py_ssize_t i = hs_start; i < e; i++) if (v[i] == ':') { he = i; break; }
    }
    while (he > hs_start && v[he - 1] == '.') he--;
    if (he <= hs_start) return 1;
    u8 host[256];
    if (he - hs_start > 255) { /* only a suffix of at most 255 bytes can be listed: start at a label */
        const u8 *dot = memchr(v + he - 255, '.', 255);
        if (!dot) return 0;
        hs_start = dot - v + 1;
    }
    for (Py_ssize_t i = hs_start; i < he; i++) host[i - hs_start] = lower(v[i]);
    return hosts_listed(hs, host, he - hs_start);
}

static int url_triggers(const HostSet *hs, const u8 *v, Py_ssize_t n) {
    if (n == 0) return 0;
    if (v[0] <= 0x20) return 1;
    Py_ssize_t j = 0;
    while (j < n && scheme_char(v[j])) j++;
    if (j > 0 && j < n && v[j] == ':' && is_alpha(v[0])) {
        if ((j == 4 && ci_eq(v, "http", 4)) || (j == 5 && ci_eq(v, "https", 5))) {
            if (j + 3 < n && v[j + 1] == '/' && v[j + 2] == '/' && v[j + 3] != '/' && v[j + 3] != '\\')
                return authority_triggers(hs, v, n, j + 3);
            return 1;
        }
        static const char *no_host[] = {"data", "blob", "about", "mailto", "tel", "sms"};
        for (int i = 0; i < 6; i++)
            if ((Py_ssize_t)strlen(no_host[i]) == j && ci_eq(v, no_host[i], j)) return 0;
        return 1;
    }
    if (n >= 2 && v[0] == '/' && v[1] == '/') {
        if (n > 2 && v[2] != '/' && v[2] != '\\') return authority_triggers(hs, v, n, 2);
        return 1;
    }
    if (v[0] == '/') return n > 1 && hides(v, n, 1);
    for (Py_ssize_t k = 0; k < n && v[k] != '/' && v[k] != '?' && v[k] != '#'; k++)
        if (v[k] == ':' || hides(v, n, k)) return 1;
    return 0;
}

static int has_bad_amp(const u8 *v, Py_ssize_t n) {
    for (Py_ssize_t k = 0; k < n; k++) if (v[k] == '&' && !is_amp(v, n, k)) return 1;
    return 0;
}

static int srcset_triggers(const HostSet *hs, const u8 *v, Py_ssize_t n) {
    if (has_bad_amp(v, n)) return 1;
    Py_ssize_t i = 0;
    for (;;) {
        while (i < n && (is_ws(v[i]) || v[i] == ',')) i++;
        if (i >= n) return 0;
        Py_ssize_t s = i;
        while (i < n && !is_ws(v[i])) i++;
        Py_ssize_t e = i;
        int trailing = v[e - 1] == ',';
        while (e > s && v[e - 1] == ',') e--;
        if (url_triggers(hs, v + s, e - s)) return 1;
        if (trailing) continue;
        int depth = 0;
        while (i < n) {
            u8 c = v[i];
            if (c == '(') depth = 1;
            else if (c == ')') depth = 0;
            else if (c == ',' && !depth) break;
            i++;
        }
    }
}

static int css_triggers(const SpecObject *sp, const u8 *v, Py_ssize_t n) {
    return needles_find(&sp->css, v, 0, n) || has_bad_amp(v, n);
}
