/* The compiled HTML scanner of asgi-consent: the same contract as consent/_html/pyscan.py (its reference),
 * at C speed. It tokenizes as the HTML standard does (tags and attributes, comments, doctypes, raw text,
 * script data escape states, foreign content) and reports only what a compiled Spec asks for.
 *
 * Everything it reads is untrusted page content: every access is bounds-checked against the buffer's
 * length, nothing is written into the buffer, and all memory is owned by the two Python objects. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAXNAME 31
#define MAXATTRS 16
#define MAXDEPTH 512

enum { K_URL = 1, K_SRCSET = 2, K_CSS = 3, K_PRESENT = 4 };
enum { NEVER = 0, FILTER = 1, ALWAYS = 2 };
enum { EV_START = 1, EV_CONTENT = 2, EV_END = 3, EV_DOCTYPE = 4, EV_TRUNCATED = 5, EV_TOO_LONG = 6 };
enum { M_DATA, M_RAW, M_COMMENT, M_CDATA, M_SKIP, M_HOLD, M_PLAIN };
enum { SD, ESC, DESC };
enum { S_NAME, S_BEFORE, S_ATTR, S_AFTER_NAME, S_BEFORE_VALUE, S_DQ, S_SQ, S_UNQUOTED, S_AFTER_QUOTED, S_PLAIN };
enum { F_SVG = 1, F_MATH = 2, F_HTML = 3 };

typedef unsigned char u8;
static PyObject *EMPTY; /* b"" */

static inline u8 lower(u8 c) { return (c >= 'A' && c <= 'Z') ? (u8)(c + 32) : c; }
static inline int is_ws(u8 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }
static inline int is_alpha(u8 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* -- needles: any of a set of byte strings, exact or ASCII case-insensitive --------------------------- */

typedef struct {
    int n, nocase;
    u8 first[256];      /* some needle starts with this byte (in either case, for nocase) */
    u8 single[256];     /* a one-byte needle starts with this byte */
    u8 pair[8192];      /* bit (a << 8 | b): some needle starts with these two bytes */
    u8 **pat;
    Py_ssize_t *len;
    int npairs;         /* needles of two bytes or more, by their first two bytes: */
    uint16_t *codes;    /*   the codes, sorted */
    int *order;         /*   the needle index for each code */
} Needles;

static void needles_free(Needles *nd) {
    PyMem_Free(nd->codes);
    PyMem_Free(nd->order);
    if (nd->pat) {
        for (int i = 0; i < nd->n; i++) PyMem_Free(nd->pat[i]);
        PyMem_Free(nd->pat);
    }
    PyMem_Free(nd->len);
    memset(nd, 0, sizeof *nd);
}

static int needles_init(Needles *nd, PyObject *seq, int nocase) {
    memset(nd, 0, sizeof *nd);
    nd->nocase = nocase;
    PyObject *fast = PySequence_Fast(seq, "needles must be a sequence of bytes");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > 256) { Py_DECREF(fast); PyErr_SetString(PyExc_ValueError, "at most 256 needles"); return -1; }
    nd->pat = PyMem_Calloc(n ? n : 1, sizeof(u8 *));
    nd->len = PyMem_Calloc(n ? n : 1, sizeof(Py_ssize_t));
    if (!nd->pat || !nd->len) { Py_DECREF(fast); PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, i);
        char *p; Py_ssize_t l;
        if (PyBytes_AsStringAndSize(item, &p, &l) < 0 || l < 1 || l > 64) {
            Py_DECREF(fast);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "needles are 1-64 bytes");
            return -1;
        }
        nd->pat[i] = PyMem_Malloc(l);
        if (!nd->pat[i]) { Py_DECREF(fast); PyErr_NoMemory(); return -1; }
        for (Py_ssize_t k = 0; k < l; k++) nd->pat[i][k] = nocase ? lower((u8)p[k]) : (u8)p[k];
        nd->len[i] = l;
        nd->n = (int)i + 1;
        nd->first[nd->pat[i][0]] = 1;
        if (nocase && nd->pat[i][0] >= 'a' && nd->pat[i][0] <= 'z') nd->first[nd->pat[i][0] - 32] = 1;
        if (l == 1) nd->single[nd->pat[i][0]] = 1;
        else {
            unsigned code = (unsigned)nd->pat[i][0] << 8 | nd->pat[i][1];
            nd->pair[code >> 3] |= (u8)(1u << (code & 7));
        }
    }
    Py_DECREF(fast);
    nd->codes = PyMem_Calloc(n ? n : 1, sizeof(uint16_t));
    nd->order = PyMem_Calloc(n ? n : 1, sizeof(int));
    if (!nd->codes || !nd->order) { PyErr_NoMemory(); return -1; }
    for (int i = 0; i < nd->n; i++) { /* insertion sort by code: at most 256 needles, once */
        if (nd->len[i] < 2) continue;
        uint16_t code = (uint16_t)(nd->pat[i][0] << 8 | nd->pat[i][1]);
        int j = nd->npairs++;
        while (j > 0 && nd->codes[j - 1] > code) { nd->codes[j] = nd->codes[j - 1]; nd->order[j] = nd->order[j - 1]; j--; }
        nd->codes[j] = code;
        nd->order[j] = i;
    }
    return 0;
}

/* the first position in codes[] of code (or npairs) */
static int pairs_from(const Needles *nd, uint16_t code) {
    int lo = 0, hi = nd->npairs;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (nd->codes[mid] < code) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Does a needle occur wholly inside b[from:to)? */
static int needles_find(const Needles *nd, const u8 *b, Py_ssize_t from, Py_ssize_t to) {
    if (nd->n == 0) return 0;
    for (Py_ssize_t i = from; i < to; i++) {
        if (!nd->first[b[i]]) continue;
        u8 c = nd->nocase ? lower(b[i]) : b[i];
        if (nd->single[c]) return 1;
        if (i + 1 >= to) break;
        u8 d = nd->nocase ? lower(b[i + 1]) : b[i + 1];
        unsigned code = (unsigned)c << 8 | d;
        if (!(nd->pair[code >> 3] & (1u << (code & 7)))) continue;
        for (int q = pairs_from(nd, (uint16_t)code); q < nd->npairs && nd->codes[q] == code; q++) {
            int k = nd->order[q];
            Py_ssize_t l = nd->len[k];
            if (i + l > to) continue;
            Py_ssize_t j = 2;
            while (j < l && (nd->nocase ? lower(b[i + j]) : b[i + j]) == nd->pat[k][j]) j++;
            if (j == l) return 1;
        }
    }
    return 0;
}

/* Set bit k of bits[] for every needle k that occurs wholly inside b[from:to). */
static void needles_collect(const Needles *nd, const u8 *b, Py_ssize_t from, Py_ssize_t to, u8 *bits) {
    if (nd->n == 0) return;
    for (Py_ssize_t i = from; i < to; i++) {
        if (!nd->first[b[i]]) continue;
        u8 c = nd->nocase ? lower(b[i]) : b[i];
        u8 d = i + 1 < to ? (nd->nocase ? lower(b[i + 1]) : b[i + 1]) : 0;
        unsigned code = (unsigned)c << 8 | d;
        int pair = i + 1 < to && (nd->pair[code >> 3] & (1u << (code & 7)));
        if (nd->single[c]) {
            for (int k = 0; k < nd->n; k++)
                if (nd->len[k] == 1 && nd->pat[k][0] == c) bits[k >> 3] |= (u8)(1u << (k & 7));
        }
        if (!pair) continue;
        for (int q = pairs_from(nd, (uint16_t)code); q < nd->npairs && nd->codes[q] == code; q++) {
            int k = nd->order[q];
            Py_ssize_t l = nd->len[k];
            if (i + l > to) continue;
            Py_ssize_t j = 2;
            while (j < l && (nd->nocase ? lower(b[i + j]) : b[i + j]) == nd->pat[k][j]) j++;
            if (j == l) bits[k >> 3] |= (u8)(1u << (k & 7));
        }
    }
}

/* -- hosts: a set of lower-case host names, matched on a host and its parent domains ----------------- */

typedef struct {
    Py_ssize_t cap;     /* a power of two */
    u8 **key;
    Py_ssize_t *len;
} HostSet;

static uint64_t fnv(const u8 *p, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < n; i++) { h ^= p[i]; h *= 1099511628211ULL; }
    return h;
}

static void hosts_free(HostSet *hs) {
    if (hs->key) {
        for (Py_ssize_t i = 0; i < hs->cap; i++) PyMem_Free(hs->key[i]);
        PyMem_Free(hs->key);
    }
    PyMem_Free(hs->len);
    memset(hs, 0, sizeof *hs);
}

static int hosts_init(HostSet *hs, PyObject *iterable) {
    memset(hs, 0, sizeof *hs);
    PyObject *fast = PySequence_Fast(iterable, "hosts must be a sequence of bytes");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    hs->cap = 16;
    while (hs->cap < 2 * n) hs->cap *= 2;
    hs->key = PyMem_Calloc(hs->cap, sizeof(u8 *));
    hs->len = PyMem_Calloc(hs->cap, sizeof(Py_ssize_t));
    if (!hs->key || !hs->len) { Py_DECREF(fast); PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < n; i++) {
        char *p; Py_ssize_t l;
        if (PyBytes_AsStringAndSize(PySequence_Fast_GET_ITEM(fast, i), &p, &l) < 0) { Py_DECREF(fast); return -1; }
        Py_ssize_t slot = (Py_ssize_t)(fnv((u8 *)p, l) & (uint64_t)(hs->cap - 1));
        while (hs->key[slot] && !(hs->len[slot] == l && memcmp(hs->key[slot], p, l) == 0))
            slot = (slot + 1) & (hs->cap - 1);
        if (hs->key[slot]) continue;
        hs->key[slot] = PyMem_Malloc(l ? l : 1);
        if (!hs->key[slot]) { Py_DECREF(fast); PyErr_NoMemory(); return -1; }
        memcpy(hs->key[slot], p, l);
        hs->len[slot] = l;
    }
    Py_DECREF(fast);
    return 0;
}

static int hosts_has(const HostSet *hs, const u8 *p, Py_ssize_t l) {
    Py_ssize_t slot = (Py_ssize_t)(fnv(p, l) & (uint64_t)(hs->cap - 1));
    while (hs->key[slot]) {
        if (hs->len[slot] == l && memcmp(hs->key[slot], p, l) == 0) return 1;
        slot = (slot + 1) & (hs->cap - 1);
    }
    return 0;
}

/* host (already lower-case) or a parent domain of it is listed */
static int hosts_listed(const HostSet *hs, const u8 *p, Py_ssize_t l) {
    for (;;) {
        if (hosts_has(hs, p, l)) return 1;
        const u8 *dot = memchr(p, '.', l);
        if (!dot) return 0;
        l -= (dot - p) + 1;
        p = dot + 1;
    }
}

/* -- the compiled specification ----------------------------------------------------------------------- */

typedef struct {
    u8 len;
    u8 name[MAXNAME + 1];
    u8 kind;
} AttrRule;

typedef struct {
    int used;
    u8 len;
    u8 name[MAXNAME + 1];
    int start, end, pause, content, has_needles, any_needle;
    int nattrs;
    AttrRule attrs[MAXATTRS];
    Needles needles;
    PyObject *pyname;
    /* search_when: the needles are searched only when this attribute is absent or has one of these values */
    u8 when_len;
    u8 when_name[MAXNAME + 1];
    int nvalues;
    u8 values[32][40];
    u8 value_lens[32];
} TagRule;

#define TAGSLOTS 128

typedef struct {
    PyObject_HEAD
    TagRule tags[TAGSLOTS];
    int nwild;
    AttrRule wild[MAXATTRS];
    HostSet hosts;
    Needles css;
    int wild_present; /* some attribute watched everywhere triggers by its presence */
    u8 marker[64];
    Py_ssize_t markerlen;
    Py_ssize_t max_tag, max_content;
} SpecObject;

static unsigned name_slot(const u8 *name, int len) { return (unsigned)(fnv(name, len) & (TAGSLOTS - 1)); }

static const TagRule *spec_rule_h(const SpecObject *sp, const u8 *name, int len, uint64_t h) {
    if (len < 1 || len > MAXNAME) return NULL;
    unsigned slot = (unsigned)(h & (TAGSLOTS - 1));
    for (int probes = 0; probes < TAGSLOTS; probes++) {
        const TagRule *r = &sp->tags[slot];
        if (!r->used) return NULL;
        if (r->len == len && memcmp(r->name, name, len) == 0) return r;
        slot = (slot + 1) & (TAGSLOTS - 1);
    }
    return NULL;
}

static const TagRule *spec_rule(const SpecObject *sp, const u8 *name, int len) {
    return spec_rule_h(sp, name, len, fnv(name, len));
}

static int attr_kind(const AttrRule *rules, int n, const u8 *name, int len) {
    for (int i = 0; i < n; i++)
        if (rules[i].len == len && memcmp(rules[i].name, name, len) == 0) return rules[i].kind;
    return 0;
}

static int fill_attrs(AttrRule *out, int *count, PyObject *mapping) {
    if (!PyDict_Check(mapping)) { PyErr_SetString(PyExc_TypeError, "attrs must be a dict"); return -1; }
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    *count = 0;
    while (PyDict_Next(mapping, &pos, &key, &value)) {
        char *p; Py_ssize_t l;
        if (*count >= MAXATTRS) { PyErr_SetString(PyExc_ValueError, "too many attribute rules"); return -1; }
        if (PyBytes_AsStringAndSize(key, &p, &l) < 0) return -1;
        if (l < 1 || l > MAXNAME) { PyErr_SetString(PyExc_ValueError, "attribute names are 1-31 bytes"); return -1; }
        long kind = PyLong_AsLong(value);
        if (kind == -1 && PyErr_Occurred()) return -1;
        AttrRule *a = &out[(*count)++];
        a->len = (u8)l;
        memcpy(a->name, p, l);
        a->kind = (u8)kind;
    }
    return 0;
}

/* search_when = (attribute name, (value, …)) */
static int fill_when(TagRule *r, PyObject *when) {
    PyObject *name, *values;
    if (!PyArg_ParseTuple(when, "SO", &name, &values)) return -1;
    if (PyBytes_GET_SIZE(name) < 1 || PyBytes_GET_SIZE(name) > MAXNAME) {
        PyErr_SetString(PyExc_ValueError, "search_when: a 1-31 byte attribute name");
        return -1;
    }
    r->when_len = (u8)PyBytes_GET_SIZE(name);
    memcpy(r->when_name, PyBytes_AS_STRING(name), r->when_len);
    PyObject *fast = PySequence_Fast(values, "search_when values must be a sequence of bytes");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    for (Py_ssize_t i = 0; i < n; i++) {
        char *p; Py_ssize_t l;
        if (PyBytes_AsStringAndSize(PySequence_Fast_GET_ITEM(fast, i), &p, &l) < 0 || l > 39 || i >= 32) {
            Py_DECREF(fast);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "search_when: at most 32 values of 39 bytes");
            return -1;
        }
        memcpy(r->values[i], p, l);
        r->value_lens[i] = (u8)l;
    }
    r->nvalues = (int)n;
    Py_DECREF(fast);
    return 0;
}

/* consent/_html/spec.py: searches() */
static int rule_searches(const TagRule *r, int present, const u8 *v, Py_ssize_t n) {
    if (!r->when_len || !present) return 1;
    if (memchr(v, '&', n)) return 1;
    while (n && is_ws(v[0])) { v++; n--; }
    while (n && is_ws(v[n - 1])) n--;
    for (int i = 0; i < r->nvalues; i++) {
        if (r->value_lens[i] != n) continue;
        Py_ssize_t k = 0;
        while (k < n && lower(v[k]) == r->values[i][k]) k++;
        if (k == n) return 1;
    }
    return 0;
}

static void spec_dealloc(SpecObject *sp) {
    for (int i = 0; i < TAGSLOTS; i++) {
        if (sp->tags[i].used) { needles_free(&sp->tags[i].needles); Py_XDECREF(sp->tags[i].pyname); }
    }
    hosts_free(&sp->hosts);
    needles_free(&sp->css);
    Py_TYPE(sp)->tp_free((PyObject *)sp);
}

/* Spec(tags, attrs, hosts, marker, css_needles, max_tag, max_content)
 * tags: {name: (start, end, pause, attrs, content, needles)} */
static int spec_init(SpecObject *sp, PyObject *args, PyObject *kw) {
    PyObject *tags, *attrs, *hosts, *css;
    Py_buffer marker;
    Py_ssize_t max_tag, max_content;
    if (!PyArg_ParseTuple(args, "O!O!Oy*Onn", &PyDict_Type, &tags, &PyDict_Type, &attrs, &hosts, &marker, &css,
                          &max_tag, &max_content))
        return -1;
    int rc = -1;
    if (marker.len > 63) { PyErr_SetString(PyExc_ValueError, "marker too long"); goto done; }
    memcpy(sp->marker, marker.buf, marker.len);
    sp->markerlen = marker.len;
    sp->max_tag = max_tag;
    sp->max_content = max_content;
    if (fill_attrs(sp->wild, &sp->nwild, attrs) < 0) goto done;
    for (int i = 0; i < sp->nwild; i++) if (sp->wild[i].kind == K_PRESENT) sp->wild_present = 1;
    if (hosts_init(&sp->hosts, hosts) < 0) goto done;
    if (needles_init(&sp->css, css, 1) < 0) goto done;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    int count = 0;
    while (PyDict_Next(tags, &pos, &key, &value)) {
        char *p; Py_ssize_t l;
        int start, end, pause, content;
        PyObject *rule_attrs, *needles;
        if (PyBytes_AsStringAndSize(key, &p, &l) < 0) goto done;
        if (l < 1 || l > MAXNAME || ++count > TAGSLOTS / 2) {
            PyErr_SetString(PyExc_ValueError, "tag names are 1-31 bytes, at most 64 rules");
            goto done;
        }
        PyObject *when = Py_None;
        int any_needle = 0;
        if (!PyArg_ParseTuple(value, "iiiO!iO|Oi", &start, &end, &pause, &PyDict_Type, &rule_attrs, &content, &needles,
                              &when, &any_needle))
            goto done;
        unsigned slot = name_slot((u8 *)p, (int)l);
        while (sp->tags[slot].used) slot = (slot + 1) & (TAGSLOTS - 1);
        TagRule *r = &sp->tags[slot];
        r->used = 1;
        r->len = (u8)l;
        memcpy(r->name, p, l);
        r->start = start; r->end = end; r->pause = pause; r->content = content;
        Py_INCREF(key);
        r->pyname = key;
        if (fill_attrs(r->attrs, &r->nattrs, rule_attrs) < 0) goto done;
        if (needles_init(&r->needles, needles, content == 2) < 0) goto done;
        r->has_needles = r->needles.n > 0;
        r->any_needle = any_needle;
        if (when != Py_None && fill_when(r, when) < 0) goto done;
    }
    rc = 0;
done:
    PyBuffer_Release(&marker);
    return rc;
}

static PyTypeObject SpecType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "consent._html._cscan.Spec",
    .tp_basicsize = sizeof(SpecObject),
    .tp_dealloc = (destructor)spec_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A compiled scan specification (see consent/_html/spec.py).",
    .tp_init = (initproc)spec_init,
    .tp_new = PyType_GenericNew,
};

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

/* -- tags ------------------------------------------------------------------------------------------------ */

typedef struct {
    Py_ssize_t end;        /* after '>', or -1: the buffer ends first */
    Py_ssize_t name_end;
    int nlen;              /* -1: longer than MAXNAME */
    u8 name[MAXNAME + 1];  /* lower case */
    int is_end, self_closing, trigger, font_breaks, annot_html, saw_encoding;
    int flags;            /* name_class of the name */
    const void *rule;     /* the spec's TagRule for the name, or NULL */
    int when_present;     /* the rule's search_when attribute: seen, and its value */
    Py_ssize_t when_vs, when_ve;
} Tag;

/* What the tokenizer and the tree builder's foreign-content rules need to know of a tag name: one lookup. */
enum { N_RAW = 1, N_SVG = 2, N_MATH = 4, N_SVG_IP = 8, N_MATH_IP = 16, N_BREAKOUT = 32, N_FONT = 64, N_ANNOT = 128,
       N_BR_P = 256, N_PLAINTEXT = 512 };

typedef struct { const char *name; int len; int flags; } NameClass;
static const NameClass CLASSES[] = {
    {"script", 6, N_RAW}, {"style", 5, N_RAW}, {"xmp", 3, N_RAW}, {"iframe", 6, N_RAW}, {"noembed", 7, N_RAW},
    {"noframes", 8, N_RAW}, {"textarea", 8, N_RAW}, {"title", 5, N_RAW | N_SVG_IP}, {"plaintext", 9, N_RAW | N_PLAINTEXT},
    {"svg", 3, N_SVG}, {"math", 4, N_MATH}, {"foreignobject", 13, N_SVG_IP}, {"desc", 4, N_SVG_IP},
    {"mi", 2, N_MATH_IP}, {"mo", 2, N_MATH_IP}, {"mn", 2, N_MATH_IP}, {"ms", 2, N_MATH_IP}, {"mtext", 5, N_MATH_IP},
    {"annotation-xml", 14, N_MATH_IP | N_ANNOT}, {"font", 4, N_FONT},
    {"br", 2, N_BREAKOUT | N_BR_P}, {"p", 1, N_BREAKOUT | N_BR_P},
    {"b", 1, N_BREAKOUT}, {"big", 3, N_BREAKOUT}, {"blockquote", 10, N_BREAKOUT}, {"body", 4, N_BREAKOUT},
    {"center", 6, N_BREAKOUT}, {"code", 4, N_BREAKOUT}, {"dd", 2, N_BREAKOUT}, {"div", 3, N_BREAKOUT},
    {"dl", 2, N_BREAKOUT}, {"dt", 2, N_BREAKOUT}, {"em", 2, N_BREAKOUT}, {"embed", 5, N_BREAKOUT},
    {"h1", 2, N_BREAKOUT}, {"h2", 2, N_BREAKOUT}, {"h3", 2, N_BREAKOUT}, {"h4", 2, N_BREAKOUT}, {"h5", 2, N_BREAKOUT},
    {"h6", 2, N_BREAKOUT}, {"head", 4, N_BREAKOUT}, {"hr", 2, N_BREAKOUT}, {"i", 1, N_BREAKOUT}, {"img", 3, N_BREAKOUT},
    {"li", 2, N_BREAKOUT}, {"listing", 7, N_BREAKOUT}, {"menu", 4, N_BREAKOUT}, {"meta", 4, N_BREAKOUT},
    {"nobr", 4, N_BREAKOUT}, {"ol", 2, N_BREAKOUT}, {"pre", 3, N_BREAKOUT}, {"ruby", 4, N_BREAKOUT},
    {"s", 1, N_BREAKOUT}, {"small", 5, N_BREAKOUT}, {"span", 4, N_BREAKOUT}, {"strong", 6, N_BREAKOUT},
    {"strike", 6, N_BREAKOUT}, {"sub", 3, N_BREAKOUT}, {"sup", 3, N_BREAKOUT}, {"table", 5, N_BREAKOUT},
    {"tt", 2, N_BREAKOUT}, {"u", 1, N_BREAKOUT}, {"ul", 2, N_BREAKOUT}, {"var", 3, N_BREAKOUT},
};

#define CLASS_SLOTS 256
static signed char class_slots[CLASS_SLOTS]; /* index into CLASSES by name hash, -1: empty (built at import) */

static void build_classes(void) {
    memset(class_slots, -1, sizeof class_slots);
    for (size_t i = 0; i < sizeof CLASSES / sizeof CLASSES[0]; i++) {
        unsigned slot = (unsigned)(fnv((const u8 *)CLASSES[i].name, CLASSES[i].len) & (CLASS_SLOTS - 1));
        while (class_slots[slot] >= 0) slot = (slot + 1) & (CLASS_SLOTS - 1);
        class_slots[slot] = (signed char)i;
    }
}

/* name_class, given the name's hash */
static int name_class_h(const u8 *name, int len, uint64_t h) {
    if (len < 1 || len > 14) return 0;
    for (unsigned slot = (unsigned)(h & (CLASS_SLOTS - 1));; slot = (slot + 1) & (CLASS_SLOTS - 1)) {
        int i = class_slots[slot];
        if (i < 0) return 0;
        const NameClass *c = &CLASSES[i];
        if (c->len == len && memcmp(c->name, name, len) == 0) return c->flags;
    }
}

static int name_class(const u8 *name, int len) { return name_class_h(name, len, fnv(name, len)); }

static int in_list(const u8 *name, int len, const char *const *list) {
    for (int i = 0; list[i]; i++)
        if ((int)strlen(list[i]) == len && memcmp(list[i], name, len) == 0) return 1;
    return 0;
}

static const char *const FONT_ATTRS[] = {"color", "face", "size", NULL};

/* One attribute is complete: note what it triggers. */
static void on_attr(const SpecObject *sp, const TagRule *eff, Tag *tg, const u8 *b, Py_ssize_t as, Py_ssize_t ae,
                    int has_value, Py_ssize_t vs, Py_ssize_t ve) {
    Py_ssize_t alen = ae - as;
    u8 name[MAXNAME + 1];
    int short_name = alen <= MAXNAME;
    if (short_name) for (Py_ssize_t i = 0; i < alen; i++) name[i] = lower(b[as + i]);
    if ((tg->flags & N_FONT) && short_name && in_list(name, (int)alen, FONT_ATTRS)) tg->font_breaks = 1;
    if ((tg->flags & N_ANNOT) && short_name && alen == 8 && memcmp(name, "encoding", 8) == 0 && !tg->saw_encoding) {
        tg->saw_encoding = 1;
        Py_ssize_t l = has_value ? ve - vs : 0;
        tg->annot_html = (l == 9 && ci_eq(b + vs, "text/html", 9)) || (l == 21 && ci_eq(b + vs, "application/xhtml+xml", 21));
    }
    const TagRule *rule = tg->rule;
    if (rule && rule->when_len && !tg->when_present && short_name && alen == rule->when_len &&
        memcmp(name, rule->when_name, alen) == 0) {
        tg->when_present = 1;
        tg->when_vs = has_value ? vs : 0;
        tg->when_ve = has_value ? ve : 0;
    }
    if (tg->trigger || tg->is_end) return;
    if (eff && sp->markerlen && alen >= sp->markerlen) {
        Py_ssize_t i = 0;
        while (i < sp->markerlen && lower(b[as + i]) == sp->marker[i]) i++;
        if (i == sp->markerlen) { tg->trigger = 1; return; }
    }
    if (!short_name) return;
    int kind = eff ? attr_kind(eff->attrs, eff->nattrs, name, (int)alen) : 0;
    if (!kind) kind = attr_kind(sp->wild, sp->nwild, name, (int)alen);
    if (!kind) return;
    if (kind == K_PRESENT) { tg->trigger = 1; return; }
    if (!has_value) return;
    const u8 *v = b + vs;
    Py_ssize_t n = ve - vs;
    if (kind == K_URL) tg->trigger = url_triggers(&sp->hosts, v, n);
    else if (kind == K_SRCSET) tg->trigger = srcset_triggers(&sp->hosts, v, n);
    else if (kind == K_CSS) tg->trigger = css_triggers(sp, v, n);
}

/* nothing but whitespace and '/': no attribute at all */
static int bare(const u8 *p, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) if (!is_ws(p[i]) && p[i] != '/') return 0;
    return 1;
}

/* Parse the tag at b[t] ('<' then a letter, or "</" then a letter) as the tokenizer does. */
static void parse_tag(const SpecObject *sp, const u8 *b, Py_ssize_t t, Py_ssize_t n, Tag *tg) {
    memset(tg, 0, sizeof *tg);
    tg->end = -1;
    Py_ssize_t i = t + 1;
    if (b[i] == '/') { tg->is_end = 1; i++; }
    Py_ssize_t ns = i;
    while (i < n && !is_ws(b[i]) && b[i] != '/' && b[i] != '>') i++;
    tg->name_end = i;
    Py_ssize_t nl = i - ns;
    tg->nlen = nl <= MAXNAME ? (int)nl : -1;
    uint64_t h = 0;
    if (tg->nlen > 0) {
        for (Py_ssize_t k = 0; k < nl; k++) tg->name[k] = lower(b[ns + k]);
        h = fnv(tg->name, tg->nlen);
    }
    const TagRule *rule = tg->nlen > 0 ? spec_rule_h(sp, tg->name, tg->nlen, h) : NULL;
    tg->rule = rule;
    tg->flags = tg->nlen > 0 ? name_class_h(tg->name, tg->nlen, h) : 0;
    if (i < n && (tg->is_end || !rule || rule->start == NEVER) && !(tg->flags & (N_FONT | N_ANNOT))) {
        /* An end tag, or a start tag nothing stops at: when no quote comes before the first '>', the tag ends
         * there; and a start tag without '=' has no values, so no watched attribute can trigger (unless one
         * triggers by its presence alone: then only a tag with no attributes at all is sure). */
        const u8 *gt = memchr(b + i, '>', n - i);
        if (gt && !memchr(b + i, '"', gt - b - i) && !memchr(b + i, '\'', gt - b - i) &&
            (tg->is_end || (!memchr(b + i, '=', gt - b - i) && (!sp->wild_present || bare(b + i, gt - b - i))))) {
            tg->end = gt - b + 1;
            tg->self_closing = gt[-1] == '/' && gt - b - 1 >= i;
            return;
        }
    }
    const TagRule *eff = rule && rule->start == FILTER ? rule : NULL;
    int state = S_BEFORE, slash = 0; /* slash: the separator just before is a '/' (a self-closing tag) */
    Py_ssize_t as = 0, ae = 0;
    for (;;) {
        if (i >= n) return;
        u8 c = b[i];
        switch (state) {
        case S_BEFORE:
            if (is_ws(c) || c == '/') { slash = c == '/'; i++; break; }
            if (c == '>') { tg->self_closing = slash; tg->end = i + 1; return; }
            as = i++;
            state = S_ATTR;
            break;
        case S_ATTR:
            while (i < n && !is_ws(b[i]) && b[i] != '/' && b[i] != '>' && b[i] != '=') i++;
            ae = i;
            if (i >= n) return;
            c = b[i];
            if (c == '=') { i++; state = S_BEFORE_VALUE; }
            else if (is_ws(c)) state = S_AFTER_NAME;
            else {
                on_attr(sp, eff, tg, b, as, ae, 0, 0, 0);
                state = S_BEFORE;
                slash = c == '/';
                if (slash) i++;
            }
            break;
        case S_AFTER_NAME:
            if (is_ws(c)) { i++; break; }
            if (c == '=') { i++; state = S_BEFORE_VALUE; break; }
            on_attr(sp, eff, tg, b, as, ae, 0, 0, 0);
            slash = 0;
            if (c == '/') { i++; slash = 1; state = S_BEFORE; }
            else if (c == '>') state = S_BEFORE;
            else { as = i++; state = S_ATTR; }
            break;
        case S_BEFORE_VALUE:
            if (is_ws(c)) { i++; break; }
            slash = 0;
            if (c == '"' || c == '\'') {
                const u8 *close = i + 1 < n ? memchr(b + i + 1, c, n - i - 1) : NULL;
                if (!close) return;
                on_attr(sp, eff, tg, b, as, ae, 1, i + 1, close - b);
                i = close - b + 1;
                state = S_AFTER_QUOTED;
            } else if (c == '>') {
                on_attr(sp, eff, tg, b, as, ae, 1, i, i);
                state = S_BEFORE;
            } else {
                Py_ssize_t vs = i;
                while (i < n && !is_ws(b[i]) && b[i] != '>') i++;
                if (i >= n) return;
                on_attr(sp, eff, tg, b, as, ae, 1, vs, i);
                state = S_BEFORE;
            }
            break;
        default: /* S_AFTER_QUOTED */
            if (is_ws(c) || c == '/') { slash = c == '/'; i++; state = S_BEFORE; }
            else if (c == '>') state = S_BEFORE;
            else { as = i++; state = S_ATTR; }
            break;
        }
    }
}

/* -- the scanner ------------------------------------------------------------------------------------------ */

typedef struct {
    PyObject_HEAD
    SpecObject *spec;
    int mode;
    u8 raw_name[16];
    int raw_len, esc;
    Py_ssize_t raw_scanned, hold_tag;
    int hold_report, hold_search;
    u8 hold_bits[32]; /* the needles found in the held content so far */
    int skip_state;
    u8 then_raw[16];
    int then_raw_len;
    int depth;
    u8 stack[MAXDEPTH];
    /* during a call */
    const u8 *b;
    Py_ssize_t n;
    int final, paused, failed;
    const char *wait;
    PyObject *events;
} Scanner;

static PyObject *EMPTY_TUPLE; /* () */

/* the needles found, as a tuple of their indices */
static PyObject *hits_tuple(const u8 *bits) {
    int count = 0;
    for (int k = 0; k < 256; k++) if (bits[k >> 3] & (1u << (k & 7))) count++;
    if (!count) return Py_NewRef(EMPTY_TUPLE);
    PyObject *t = PyTuple_New(count);
    if (!t) return NULL;
    for (int k = 0, i = 0; k < 256; k++) {
        if (!(bits[k >> 3] & (1u << (k & 7)))) continue;
        PyObject *v = PyLong_FromLong(k);
        if (!v) { Py_DECREF(t); return NULL; }
        PyTuple_SET_ITEM(t, i++, v);
    }
    return t;
}

static int any_bit(const u8 *bits) {
    for (int i = 0; i < 32; i++) if (bits[i]) return 1;
    return 0;
}

static void emit_hits(Scanner *sc, int kind, PyObject *name, Py_ssize_t p, Py_ssize_t e, Py_ssize_t c, PyObject *hits);

static void emit(Scanner *sc, int kind, PyObject *name, Py_ssize_t p, Py_ssize_t e, Py_ssize_t c, int unused) {
    (void)unused;
    emit_hits(sc, kind, name, p, e, c, EMPTY_TUPLE);
}

static void emit_hits(Scanner *sc, int kind, PyObject *name, Py_ssize_t p, Py_ssize_t e, Py_ssize_t c, PyObject *hits) {
    if (sc->failed) return;
    if (!hits) { sc->failed = 1; return; }
    PyObject *ev = Py_BuildValue("(iOnnnO)", kind, name, p, e, c, hits);
    if (!ev || PyList_Append(sc->events, ev) < 0) sc->failed = 1;
    Py_XDECREF(ev);
    if (PyBytes_GET_SIZE(name) > 0) {
        const TagRule *r = spec_rule(sc->spec, (const u8 *)PyBytes_AS_STRING(name), (int)PyBytes_GET_SIZE(name));
        if (r && r->pause) sc->paused = 1;
    }
}

/* the event name of a tag: the rule's interned name, or a new lower-case copy of the tag's */
static void emit_tag(Scanner *sc, int kind, const TagRule *rule, Py_ssize_t p, Py_ssize_t name_end, Py_ssize_t e,
                     Py_ssize_t c, int hit) {
    if (rule) { emit(sc, kind, rule->pyname, p, e, c, hit); return; }
    Py_ssize_t ns = p + 1 + (sc->b[p + 1] == '/');
    PyObject *name = PyBytes_FromStringAndSize(NULL, name_end - ns);
    if (!name) { sc->failed = 1; return; }
    u8 *out = (u8 *)PyBytes_AS_STRING(name);
    for (Py_ssize_t k = ns; k < name_end; k++) out[k - ns] = lower(sc->b[k]);
    emit(sc, kind, name, p, e, c, hit);
    Py_DECREF(name);
}

static int in_foreign(const Scanner *sc) {
    return sc->depth > 0 && (sc->stack[sc->depth - 1] == F_SVG || sc->stack[sc->depth - 1] == F_MATH);
}

static void break_out(Scanner *sc) {
    while (sc->depth > 0 && (sc->stack[sc->depth - 1] == F_SVG || sc->stack[sc->depth - 1] == F_MATH)) sc->depth--;
}

static void foreign_step(Scanner *sc, int flags, int is_end, int self_closing, int font_breaks, int annot_html) {
    if (sc->depth == 0 && !(flags & (N_SVG | N_MATH))) return; /* plain HTML: only <svg> and <math> matter */
    int top = sc->depth ? sc->stack[sc->depth - 1] : 0;
    int f = (flags & N_SVG) ? F_SVG : (flags & N_MATH) ? F_MATH : 0;
    int ip_name = (flags & (N_SVG_IP | N_MATH_IP)) != 0;
    if (is_end) {
        if (f) {
            int found = 0;
            for (int i = 0; i < sc->depth; i++) if (sc->stack[i] == f) found = 1;
            if (found) while (sc->stack[--sc->depth] != f) ;
        } else if (sc->depth && top == F_HTML && ip_name) {
            sc->depth--;
        } else if ((top == F_SVG || top == F_MATH) && (flags & N_BR_P)) {
            break_out(sc);
        }
        return;
    }
    if (top == F_SVG || top == F_MATH) {
        if ((flags & N_BREAKOUT) || ((flags & N_FONT) && font_breaks)) {
            break_out(sc);
            return;
        }
        int ip = (top == F_SVG && (flags & N_SVG_IP)) || (top == F_MATH && (flags & N_MATH_IP));
        if (ip && (flags & N_ANNOT)) ip = annot_html;
        if (self_closing || sc->depth >= MAXDEPTH) return;
        if (ip) sc->stack[sc->depth++] = F_HTML;
        else if (f) sc->stack[sc->depth++] = (u8)f;
        return;
    }
    if (f && !self_closing && sc->depth < MAXDEPTH) sc->stack[sc->depth++] = (u8)f;
}

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

/* -- the Python type --------------------------------------------------------------------------------------- */

static PyObject *scanner_scan(Scanner *sc, PyObject *args) {
    Py_buffer view;
    Py_ssize_t pos;
    int final;
    if (!PyArg_ParseTuple(args, "y*np", &view, &pos, &final)) return NULL;
    if (pos < 0 || pos > view.len) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "pos out of range");
        return NULL;
    }
    sc->b = view.buf;
    sc->n = view.len;
    sc->final = final;
    sc->paused = 0;
    sc->failed = 0;
    sc->wait = NULL;
    sc->events = PyList_New(0);
    if (!sc->events) { PyBuffer_Release(&view); return NULL; }
    for (;;) {
        int mode = sc->mode;
        if (mode == M_DATA) pos = data(sc, pos);
        else if (mode == M_HOLD) pos = content(sc, 0, sc->hold_tag, 1);
        else if (mode == M_RAW) pos = do_raw(sc, pos);
        else if (mode == M_COMMENT) {
            Py_ssize_t found = comment_end(sc->b, sc->n, pos);
            if (found < 0) pos = sc->final ? sc->n : (sc->n - 3 > pos ? sc->n - 3 : pos);
            else { sc->mode = M_DATA; pos = found; }
        } else if (mode == M_CDATA) {
            Py_ssize_t found = -1;
            for (Py_ssize_t p = pos; p + 3 <= sc->n; p++) {
                const u8 *br = memchr(sc->b + p, ']', sc->n - p);
                if (!br) break;
                p = br - sc->b;
                if (p + 3 <= sc->n && sc->b[p + 1] == ']' && sc->b[p + 2] == '>') { found = p; break; }
            }
            if (found < 0) pos = sc->final ? sc->n : (sc->n - 2 > pos ? sc->n - 2 : pos);
            else { sc->mode = M_DATA; pos = found + 3; }
        } else if (mode == M_SKIP) pos = skip(sc, pos);
        else { pos = sc->n; break; } /* M_PLAIN */
        if (sc->failed || sc->mode == mode || sc->mode == M_HOLD || sc->paused) break;
    }
    PyBuffer_Release(&view);
    sc->b = NULL;
    PyObject *events = sc->events;
    sc->events = NULL;
    if (sc->failed) { Py_DECREF(events); return NULL; }
    PyObject *wait = sc->wait ? PyBytes_FromString(sc->wait) : Py_NewRef(Py_None);
    if (!wait) { Py_DECREF(events); return NULL; }
    PyObject *result = Py_BuildValue("(NnNO)", events, pos, wait, sc->paused ? Py_True : Py_False);
    return result;
}

static PyObject *scanner_update(Scanner *sc, PyObject *arg) {
    if (!PyObject_TypeCheck(arg, &SpecType)) { PyErr_SetString(PyExc_TypeError, "expected a Spec"); return NULL; }
    Py_INCREF(arg);
    Py_SETREF(sc->spec, (SpecObject *)arg);
    Py_RETURN_NONE;
}

static int scanner_init(Scanner *sc, PyObject *args, PyObject *kw) {
    PyObject *spec;
    if (!PyArg_ParseTuple(args, "O!", &SpecType, &spec)) return -1;
    Py_INCREF(spec);
    Py_XSETREF(sc->spec, (SpecObject *)spec);
    sc->mode = M_DATA;
    sc->depth = 0;
    return 0;
}

static void scanner_dealloc(Scanner *sc) {
    Py_XDECREF(sc->spec);
    Py_XDECREF(sc->events);
    Py_TYPE(sc)->tp_free((PyObject *)sc);
}

static PyObject *scanner_depth(Scanner *sc, void *closure) { return PyLong_FromLong(sc->depth); }
static PyObject *scanner_mode(Scanner *sc, void *closure) { return PyLong_FromLong(sc->mode); }

static PyMethodDef scanner_methods[] = {
    {"scan", (PyCFunction)scanner_scan, METH_VARARGS,
     "scan(buf, pos, final) -> (events, stop, wait, paused); see consent/_html/pyscan.py"},
    {"update", (PyCFunction)scanner_update, METH_O, "update(spec): scan what follows with another Spec"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef scanner_getset[] = {
    {"depth", (getter)scanner_depth, NULL, "SVG/MathML nesting depth", NULL},
    {"mode", (getter)scanner_mode, NULL, "the lexical state between calls", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "consent._html._cscan.Scanner",
    .tp_basicsize = sizeof(Scanner),
    .tp_dealloc = (destructor)scanner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The compiled HTML scanner: Scanner(spec).scan(buf, pos, final).",
    .tp_methods = scanner_methods,
    .tp_getset = scanner_getset,
    .tp_init = (initproc)scanner_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cscan", "The compiled scanner of asgi-consent.", -1, NULL};

PyMODINIT_FUNC PyInit__cscan(void) {
    if (PyType_Ready(&SpecType) < 0 || PyType_Ready(&ScannerType) < 0) return NULL;
    build_classes();
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    EMPTY = PyBytes_FromStringAndSize("", 0);
    EMPTY_TUPLE = PyTuple_New(0);
    if (!EMPTY || !EMPTY_TUPLE || PyModule_AddObjectRef(m, "Spec", (PyObject *)&SpecType) < 0 ||
        PyModule_AddObjectRef(m, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
