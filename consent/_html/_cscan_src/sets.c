/* Part of consent/_html/_cscan.c (needles (any of a set of byte strings) and host sets): one translation unit, included once from there, so the
 * compiler inlines across the parts. Not compiled on its own. */

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
