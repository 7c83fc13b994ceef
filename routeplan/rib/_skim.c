/* routeplan.rib._skim: skip the route lines of a Cisco-style BGP table that cannot matter.
 *
 * A full Internet table has about 1.4 million path lines, and only a few thousand of them
 * can matter to the check (a catalog prefix, a default route, a line from AS 12076 or one that
 * names something in the path policy). The Python reader (bgptable.py) decides every line; this
 * module only walks over runs of lines that it can prove the Python reader would count and
 * otherwise ignore, at the speed of memchr, and hands every other line back to Python.
 *
 * It never decides that a line matters: whenever it is not sure, it stops. So a route table read
 * with or without it gives the same routes, counts, errors and line numbers (tests/test_skim.py
 * checks this on every fixture and on mutated inputs).
 *
 * skim(text, pos, net_col, nh_col, hints, octets, keys4, hextets, ranges4, markers, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * text      a str of whole lines (each ending in "\n"); only 1-byte (Latin-1) strings are
 *           skimmed, any other returns at once
 * pos       where to start; must be the start of a line
 * net_col   where the Network column starts (from the table's header line)
 * nh_col    where the Next Hop column starts (from the table's header line)
 * hints     list of ints, one per marker: where that marker next occurs at or after a position
 *           already passed (-1: unknown); updated in place so the next call need not search again
 * octets    bytes(32): bitmap of IPv4 first octets that may matter (including 0)
 * keys4     bytes(8192): bitmap of IPv4 first two octets (a * 256 + b) inside catalog prefixes
 * hextets   bytes(8192): bitmap of IPv6 first hextets inside catalog prefixes
 * ranges4   bytes: the catalog's IPv4 space as sorted, merged (first, last) pairs of native
 *           uint32, for networks inside a catalog /16 (empty: such networks go to Python)
 * markers   tuple of ASCII str: text whose presence on a line makes the line matter; one with
 *           letters is given in lower case and found in any case
 * max_line  lines this long (with their "\n") are left to Python, which refuses them
 *
 * Lines are skipped in whole groups, one entry at a time: a network line, or a network too long
 * for its column alone on its line with its path on the next; then the further-path lines under
 * it; any path whose long next hop pushed its attributes onto a line of their own takes that line
 * with it (so an entry may take three lines). A group ends before the next network line; if
 * anything in it needs Python, Python gets the whole group from its network line, so its idea of
 * "the current network" is always right. The last group of the text is always left to Python
 * (the next text may continue it).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static unsigned char status_char[256];
static unsigned char ipv6_char[256]; /* hex digits, ':', '.' and '/' */

static inline int
bit(const unsigned char *map, unsigned v)
{
    return (map[v >> 3] >> (v & 7)) & 1;
}

/* 1 to 3 decimal digits, at most 255; -1 otherwise. */
static int
octet(const unsigned char *s, Py_ssize_t n)
{
    int v = 0;
    if (n < 1 || n > 3)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v > 255 ? -1 : v;
}

/* 1 to 4 hexadecimal digits; -1 otherwise. */
static long
hextet(const unsigned char *s, Py_ssize_t n)
{
    long v = 0;
    if (n < 1 || n > 4)
        return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        int d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Where needle[0..m) first occurs in s[0..n), or NULL. Markers are mostly digits (AS 12076) in
 * text that is mostly digits, where a library memmem finds many false starts: with SSE2 (every
 * x86-64), 16 places at a time are tested for the needle's first and last characters together,
 * and only where both are there is the rest compared; elsewhere memmem (or memchr and memcmp). */
static const unsigned char *
find(const unsigned char *s, Py_ssize_t n, const unsigned char *needle, Py_ssize_t m)
{
    if (m > n)
        return NULL;
#if defined(__SSE2__) && !defined(SKIM_PORTABLE)
    if (m >= 2) {
        const __m128i first = _mm_set1_epi8((char)needle[0]);
        const __m128i last = _mm_set1_epi8((char)needle[m - 1]);
        Py_ssize_t i = 0;
        for (; i + m - 1 + 16 <= n; i += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(s + i));
            __m128i b = _mm_loadu_si128((const __m128i *)(s + i + m - 1));
            unsigned mask = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, last)));
            while (mask != 0) {
                int bitpos = __builtin_ctz(mask);
                if (memcmp(s + i + bitpos + 1, needle + 1, (size_t)(m - 2)) == 0)
                    return s + i + bitpos;
                mask &= mask - 1;
            }
        }
        for (; i + m <= n; i++) /* the last few places */
            if (s[i] == needle[0] && memcmp(s + i + 1, needle + 1, (size_t)(m - 1)) == 0)
                return s + i;
        return NULL;
    }
#endif
#if !defined(SKIM_PORTABLE) && (defined(__GLIBC__) || defined(__APPLE__) || defined(__FreeBSD__))
    return memmem(s, (size_t)n, needle, (size_t)m);
#else
    const unsigned char *end = s + n - m;
    while (s <= end) {
        const unsigned char *hit = memchr(s, needle[0], (size_t)(end - s + 1));
        if (hit == NULL)
            return NULL;
        if (memcmp(hit + 1, needle + 1, (size_t)(m - 1)) == 0)
            return hit;
        s = hit + 1;
    }
    return NULL;
#endif
}

/* Where lower-case needle[0..m) first occurs in s[0..n) in any case, or NULL (a marker with
 * letters: an interface name, an IPv6 next hop). */
static const unsigned char *
find_folded(const unsigned char *s, Py_ssize_t n, const unsigned char *needle, Py_ssize_t m)
{
    if (m > n)
        return NULL;
    unsigned char first = needle[0];
    unsigned char other = (first >= 'a' && first <= 'z') ? (unsigned char)(first - 32) : first;
    for (Py_ssize_t i = 0; i <= n - m; i++) {
        if (s[i] != first && s[i] != other)
            continue;
        Py_ssize_t k = 1;
        while (k < m) {
            unsigned char c = s[i + k];
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
            if (c != needle[k])
                break;
            k++;
        }
        if (k == m)
            return s + i;
    }
    return NULL;
}

/* Could t[0..n) be a network: a digit first, or an IPv6 network beginning with a colon or
 * a first group of one to four hex digits? (The Python fast path asks the same.) */
static int
plausible(const unsigned char *t, Py_ssize_t n)
{
    if (n == 0)
        return 0;
    if (t[0] >= '0' && t[0] <= '9')
        return 1;
    const unsigned char *colon = memchr(t, ':', (size_t)n);
    if (colon == NULL || colon - t > 4)
        return 0;
    for (const unsigned char *c = t; c < colon; c++)
        if (hextet(c, 1) < 0)
            return 0;
    return 1;
}

/* Does s[0..n) begin with an address (a next hop): a word of hex digits, dots and colons with
 * at least one dot or colon? (Not a section line such as "VRF: X" or "Address Family: ...",
 * nor a rule of dashes: Python reads those.) */
static int
address_first(const unsigned char *s, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    int sep = 0;
    for (; i < n && s[i] != ' '; i++) {
        unsigned char c = s[i];
        if (c == '.' || c == ':')
            sep = 1;
        else if (hextet(&c, 1) < 0)
            return 0;
    }
    return i > 0 && sep;
}

typedef struct {
    const unsigned char *octets, *keys4, *hextets;
    const unsigned char *ranges4; /* the catalog's IPv4 space: sorted, merged (first, last) */
    Py_ssize_t nranges;
} Tables;

/* A decimal number of 1 to `most` digits without a leading zero (but "0"), or -1. */
static long
strict_number(const unsigned char *s, Py_ssize_t n, int most)
{
    if (n < 1 || n > most || (n > 1 && s[0] == '0'))
        return -1;
    long v = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static uint32_t
range_at(const Tables *tb, Py_ssize_t i, int which)
{
    uint32_t v;
    memcpy(&v, tb->ranges4 + (i * 2 + which) * 4, 4);
    return v;
}

/* Does the IPv4 network t[0..n) ("a.b.c.d/len", or classful without a mask) overlap the
 * catalog? 0: it does not; 1: it does, or it is not written as the reader's rule parses it
 * surely (leading zeros, odd lengths): then Python decides. */
static int
overlaps4(const unsigned char *t, Py_ssize_t n, const Tables *tb)
{
    uint32_t address = 0;
    const unsigned char *p = t, *end = t + n;
    for (int part = 0; part < 4; part++) {
        const unsigned char *q = p;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        long v = strict_number(p, q - p, 3);
        if (v < 0 || v > 255)
            return 1;
        address = address << 8 | (uint32_t)v;
        if (part < 3) {
            if (q >= end || *q != '.')
                return 1;
            q++;
        }
        p = q;
    }
    long length;
    if (p == end) { /* classful, as the reader reads a network without a mask */
        unsigned a = address >> 24;
        length = a < 128 ? 8 : a < 192 ? 16 : 24;
    }
    else {
        if (*p != '/')
            return 1;
        length = strict_number(p + 1, end - p - 1, 2);
        if (length < 0 || length > 32)
            return 1;
    }
    uint32_t mask = length == 0 ? 0 : 0xFFFFFFFFu << (32 - length);
    uint32_t first = address & mask, last = first | ~mask;
    /* the first catalog range that ends at or after `first` */
    Py_ssize_t lo = 0, hi = tb->nranges;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (range_at(tb, mid, 1) < first)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < tb->nranges && range_at(tb, lo, 0) <= last;
}

/* Can the network token t[0..n) be ignored? 1 when the Python reader would find it irrelevant
 * (and never when it might not); sets *six to its family. */
static int
ignorable(const unsigned char *t, Py_ssize_t n, const Tables *tb, int *six)
{
    const unsigned char *colon = memchr(t, ':', (size_t)n);
    if (colon != NULL) {
        *six = 1;
        for (Py_ssize_t i = 0; i < n; i++)
            if (!ipv6_char[t[i]])
                return 0; /* not an IPv6 network (an L2VPN route, "100:1:VEID-2:Blk-1/136") */
        long h = hextet(t, colon - t);
        if (h < 0 || bit(tb->hextets, (unsigned)h))
            return 0;
        const unsigned char *slash = NULL;
        for (Py_ssize_t i = n - 1; i >= 0; i--)
            if (t[i] == '/') {
                slash = t + i;
                break;
            }
        if (slash != NULL) {
            Py_ssize_t k = t + n - slash - 1;
            if (k >= 1 && k <= 2 && slash[1] >= '0' && slash[1] <= '9'
                && (k == 1 || (slash[2] >= '0' && slash[2] <= '9'))) {
                int bits = k == 1 ? slash[1] - '0' : (slash[1] - '0') * 10 + (slash[2] - '0');
                if (bits < 32)
                    return 0; /* shorter than /32: may cover any catalog prefix */
            }
        }
        return 1;
    }
    *six = 0;
    const unsigned char *dot = memchr(t, '.', (size_t)n);
    if (dot == NULL)
        return 0;
    int a = octet(t, dot - t);
    if (a < 0)
        return 0;
    const unsigned char *slash = memchr(t, '/', (size_t)n);
    if (!bit(tb->octets, (unsigned)a))
        /* elsewhere only a route shorter than /10 can overlap a catalog prefix */
        return !(n >= 2 && t[n - 2] == '/');
    const unsigned char *dot2 = memchr(dot + 1, '.', (size_t)(t + n - dot - 1));
    if (dot2 == NULL)
        return 0;
    int b = octet(dot + 1, dot2 - dot - 1);
    if (b < 0)
        return 0;
    if (bit(tb->keys4, (unsigned)(a * 256 + b)))
        /* inside a catalog /16: exactly, as the reader's rule decides there */
        return tb->nranges > 0 && !overlaps4(t, n, tb);
    /* a catalog first octet, but not a catalog /16: only a route shorter than /16 overlaps */
    if (slash == NULL) {
        /* printed without a mask: classful, /8 below 128 (it covers the catalog's prefixes
         * of that octet), else /16 or /24; only a bare network of four parts is classful */
        int dots = 0;
        for (Py_ssize_t i = 0; i < n; i++)
            dots += t[i] == '.';
        return dots == 3 && a >= 128;
    }
    Py_ssize_t k = t + n - slash - 1;
    if (k < 1 || k > 2 || slash[1] < '0' || slash[1] > '9')
        return 0;
    int bits = slash[1] - '0';
    if (k == 2) {
        if (slash[2] < '0' || slash[2] > '9')
            return 0;
        bits = bits * 10 + (slash[2] - '0');
    }
    return bits >= 16;
}

static int
buffer_of(PyObject *obj, Py_ssize_t size, const unsigned char **out, const char *name)
{
    if (!PyBytes_Check(obj) || PyBytes_GET_SIZE(obj) != size) {
        PyErr_Format(PyExc_TypeError, "%s must be bytes of length %zd", name, size);
        return -1;
    }
    *out = (const unsigned char *)PyBytes_AS_STRING(obj);
    return 0;
}

/* What every line skimmer is given after its text and position (args[0], args[1]): from
 * args[base], hints, octets, keys4, hextets, ranges4 and markers (see skim() above), parsed
 * once, with where each marker next occurs. */
typedef struct {
    Tables tb;
    const unsigned char *s; /* the text (1-byte kind) */
    Py_ssize_t pos, end, nmarkers;
    PyObject *hints;
    Py_ssize_t next[64]; /* where each marker next occurs (end: nowhere further) */
    const unsigned char *mtext[64];
    Py_ssize_t mlen[64];
    int folded[64];
} Skim;

/* Parse a line skimmer's common arguments into k. -1: an exception is set; 0: the text
 * cannot be skimmed (not 1-byte text, too many markers), answer "nothing passed over";
 * 1: ready. `usage` is the TypeError's text for arguments of the wrong kind. */
static int
skim_setup(Skim *k, PyObject *const *args, Py_ssize_t base, const char *usage)
{
    PyObject *text = args[0], *hints = args[base], *markers = args[base + 5];
    k->pos = PyLong_AsSsize_t(args[1]);
    if (k->pos == -1 && PyErr_Occurred())
        return -1;
    if (buffer_of(args[base + 1], 32, &k->tb.octets, "octets") < 0
        || buffer_of(args[base + 2], 8192, &k->tb.keys4, "keys4") < 0
        || buffer_of(args[base + 3], 8192, &k->tb.hextets, "hextets") < 0)
        return -1;
    PyObject *ranges = args[base + 4];
    if (!PyBytes_Check(ranges) || PyBytes_GET_SIZE(ranges) % 8 != 0) {
        PyErr_SetString(PyExc_TypeError, "ranges4 must be bytes of (first, last) uint32 pairs");
        return -1;
    }
    k->tb.ranges4 = (const unsigned char *)PyBytes_AS_STRING(ranges);
    k->tb.nranges = PyBytes_GET_SIZE(ranges) / 8;
    if (!PyUnicode_Check(text) || !PyList_Check(hints) || !PyTuple_Check(markers)
        || PyList_GET_SIZE(hints) != PyTuple_GET_SIZE(markers)) {
        PyErr_SetString(PyExc_TypeError, usage);
        return -1;
    }
    k->end = PyUnicode_GET_LENGTH(text);
    if (k->pos < 0 || k->pos > k->end) {
        PyErr_SetString(PyExc_ValueError, "position out of range");
        return -1;
    }
    k->hints = hints;
    k->nmarkers = PyTuple_GET_SIZE(markers);
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND || k->nmarkers > 64)
        return 0;
    k->s = PyUnicode_1BYTE_DATA(text);
    for (Py_ssize_t i = 0; i < k->nmarkers; i++) {
        PyObject *m = PyTuple_GET_ITEM(markers, i);
        if (!PyUnicode_Check(m) || !PyUnicode_IS_ASCII(m) || PyUnicode_GET_LENGTH(m) == 0) {
            PyErr_SetString(PyExc_ValueError, "markers must be non-empty ASCII str");
            return -1;
        }
        k->mtext[i] = PyUnicode_1BYTE_DATA(m);
        k->mlen[i] = PyUnicode_GET_LENGTH(m);
        k->folded[i] = 0;
        for (Py_ssize_t j = 0; j < k->mlen[i]; j++) {
            unsigned char c = k->mtext[i][j];
            if (c >= 'A' && c <= 'Z') {
                PyErr_SetString(PyExc_ValueError, "markers with letters must be lower case");
                return -1;
            }
            if (c >= 'a' && c <= 'z')
                k->folded[i] = 1;
        }
        k->next[i] = PyLong_AsSsize_t(PyList_GET_ITEM(hints, i));
        if (k->next[i] == -1 && PyErr_Occurred())
            return -1;
    }
    return 1;
}

/* Does a marker lie whole in s[p..e)? Asked with p never smaller than before (each marker's
 * next place is searched again only once p has passed it). Needs no GIL. */
static int
marked(Skim *k, Py_ssize_t p, Py_ssize_t e)
{
    int found = 0;
    for (Py_ssize_t i = 0; i < k->nmarkers; i++) {
        if (k->next[i] < p) {
            const unsigned char *s = k->s, *hit;
            hit = k->folded[i] ? find_folded(s + p, k->end - p, k->mtext[i], k->mlen[i])
                               : find(s + p, k->end - p, k->mtext[i], k->mlen[i]);
            k->next[i] = hit == NULL ? k->end : hit - s;
        }
        if (k->next[i] + k->mlen[i] <= e)
            found = 1;
    }
    return found;
}

/* A line skimmer's answer (new_pos, lines, paths4, paths6), the markers' places written
 * back to the hints. */
static PyObject *
skim_done(Skim *k, Py_ssize_t p, Py_ssize_t lines, const Py_ssize_t paths[2])
{
    for (Py_ssize_t i = 0; i < k->nmarkers; i++) {
        PyObject *v = PyLong_FromSsize_t(k->next[i]);
        if (v == NULL || PyList_SetItem(k->hints, i, v) < 0)
            return NULL;
    }
    return Py_BuildValue("(nnnn)", p, lines, paths[0], paths[1]);
}

static PyObject *
nothing_passed(Py_ssize_t pos)
{
    return Py_BuildValue("(nnnn)", pos, (Py_ssize_t)0, (Py_ssize_t)0, (Py_ssize_t)0);
}

static PyObject *
skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "skim() takes 11 arguments");
        return NULL;
    }
    Py_ssize_t net_col = PyLong_AsSsize_t(args[2]);
    Py_ssize_t nh_col = PyLong_AsSsize_t(args[3]);
    Py_ssize_t max_line = PyLong_AsSsize_t(args[10]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 4, "skim(str, int, int, int, list, ..., tuple, int)");
    if (ready < 0)
        return NULL;
    if (net_col < 0) {
        PyErr_SetString(PyExc_ValueError, "position out of range");
        return NULL;
    }
    /* (a header whose Next Hop comes before its Network: a damaged table, Python reads it) */
    if (ready == 0 || nh_col < net_col)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t pos = k.pos, end = k.end;

    Py_ssize_t p = pos, lines = 0, paths[2] = {0, 0}; /* paths[0]: IPv4, paths[1]: IPv6 */
    /* the open group: where it starts, its lines and paths, and what may follow */
    Py_ssize_t group = -1, g_lines = 0, g_paths = 0;
    int g_six = 0;
    enum { NONE, WANT_PATH, AFTER_PATH } state = NONE;
    Py_ssize_t stop = -1;
    Py_BEGIN_ALLOW_THREADS
    while (p < end) {
        const unsigned char *nl = memchr(s + p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s, len = e - p;
        if (len + 1 >= max_line || len < net_col + 2)
            break;
        /* (a marker holds no newline: one that starts on the line lies whole in it) */
        int has_marker = marked(&k, p, e);
        if (has_marker && group < 0)
            break;
        int ok = 1, star = 0;
        for (Py_ssize_t i = 0; i < net_col; i++) {
            unsigned char c = s[p + i];
            if (!status_char[c]) {
                ok = 0;
                break;
            }
            if (c == '*' || c == '>')
                star = 1;
        }
        if (!ok || !star) {
            /* No status: the path of a network printed alone on the line above (the Network
             * column blank, an address first), or the attributes of the path above, pushed
             * onto a line of their own by a long next hop (blank up to past the Next Hop
             * column). Anything else, or a marker on it: Python reads the group. */
            if (group < 0 || has_marker || state == NONE)
                break;
            Py_ssize_t k = 0;
            while (k < len && s[p + k] == ' ')
                k++;
            /* (what follows the first word does not change how Python reads the line) */
            if (k == len || s[p + k] <= ' ' || s[p + k] >= 0x7f)
                break;
            if (state == WANT_PATH) {
                if (k < net_col || !address_first(s + p + k, len - k))
                    break;
                g_paths++;
                state = AFTER_PATH;
            }
            else if (k < nh_col + 2)
                break;
            g_lines++;
            p = e + 1;
            continue;
        }
        if (s[p + net_col] == ' ' && s[p + net_col + 1] == ' ') {
            /* a further path of the group's network */
            if (group < 0 || has_marker || state != AFTER_PATH)
                break;
            g_lines++;
            g_paths++;
            p = e + 1;
            continue;
        }
        if (state == WANT_PATH)
            break; /* a network with no path below it: Python says so */
        Py_ssize_t start = p + net_col + (s[p + net_col] == ' ');
        const unsigned char *sp = memchr(s + start, ' ', (size_t)(e - start));
        Py_ssize_t token_end = sp == NULL ? e : sp - s;
        int clean = 1;
        for (Py_ssize_t i = start; i < token_end && clean; i++)
            clean = s[i] > ' ' && s[i] < 0x7f;
        if (!clean || !plausible(s + start, token_end - start))
            break; /* a tab, a control character, no network: Python may not read one here */
        unsigned char before = start > p ? s[start - 1] : ' ';
        if (start == p + net_col && memchr(s + start, ':', (size_t)(token_end - start)) != NULL
            && ((before >= 'a' && before <= 'f') || (before >= 'A' && before <= 'F')))
            break; /* an IPv6 network may begin at the status letter before it: Python decides */
        int six = 0;
        if (has_marker || !ignorable(s + start, token_end - start, &k.tb, &six)) {
            stop = p; /* a network Python must see: the open group is complete */
            break;
        }
        if (group >= 0) {
            lines += g_lines;
            paths[g_six] += g_paths;
        }
        group = p;
        g_lines = 1;
        g_six = six;
        /* a network alone on its line (too long for its column): its path follows */
        g_paths = sp == NULL ? 0 : 1;
        state = sp == NULL ? WANT_PATH : AFTER_PATH;
        p = e + 1;
    }
    Py_END_ALLOW_THREADS
    if (stop >= 0) {
        if (group >= 0) { /* the open group is complete too */
            lines += g_lines;
            paths[g_six] += g_paths;
        }
        p = stop;
    }
    else if (group >= 0) {
        p = group; /* Python reads the open group from its network line */
    }
    return skim_done(&k, p, lines, paths);
}


/* ------------------------------------------------------------------------------------------
 * json_end: where a JSON value ends, without building it (the streamed JSON readers).
 *
 * The grammar is exactly what Python's json module decodes (strict: no control characters in
 * strings; NaN, Infinity and -Infinity accepted). Whatever this cannot vouch for (incomplete
 * text, anything invalid, nesting over JSON_DEPTH, a number of over 4000 digits, text that is
 * not one byte per character) it answers -1, and Python decodes the value itself: it then
 * reads more of the file, or says what is wrong. So it never accepts what Python refuses.
 */

#define JSON_DEPTH 64

static Py_ssize_t json_value(const unsigned char *s, Py_ssize_t i, Py_ssize_t n, int depth);

static inline Py_ssize_t
json_ws(const unsigned char *s, Py_ssize_t i, Py_ssize_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t'))
        i++;
    return i;
}

static inline int
json_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static Py_ssize_t
json_string(const unsigned char *s, Py_ssize_t i, Py_ssize_t n)
{
    /* s[i] is the opening quote */
    for (i++; i < n; i++) {
        unsigned char c = s[i];
        if (c == '"')
            return i + 1;
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            if (i + 1 >= n)
                return -1;
            c = s[i + 1];
            if (c == 'u') {
                if (i + 5 >= n || !json_hex(s[i + 2]) || !json_hex(s[i + 3]) || !json_hex(s[i + 4])
                    || !json_hex(s[i + 5]))
                    return -1;
                i += 5;
            }
            else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n'
                     || c == 'r' || c == 't')
                i += 1;
            else
                return -1;
        }
    }
    return -1;
}

static inline int
json_word(const unsigned char *s, Py_ssize_t i, Py_ssize_t n, const char *word)
{
    Py_ssize_t k = 0;
    for (; word[k]; k++)
        if (i + k >= n || s[i + k] != (unsigned char)word[k])
            return 0;
    return (int)k;
}

static Py_ssize_t
json_number(const unsigned char *s, Py_ssize_t i, Py_ssize_t n)
{
    Py_ssize_t start = i;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0')
        i++;
    else if (i < n && s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    else {
        int k = json_word(s, i, n, "Infinity");
        return (i > start && k) ? i + k : -1; /* -Infinity */
    }
    if (i - start > 4000)
        return -1; /* Python refuses to convert an integer this long */
    if (i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i += 2;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        Py_ssize_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < n && s[j] >= '0' && s[j] <= '9') {
            while (j < n && s[j] >= '0' && s[j] <= '9')
                j++;
            i = j;
        }
    }
    /* a number that reaches the end of the text may go on in the next block */
    return i < n ? i : -1;
}

static Py_ssize_t
json_value(const unsigned char *s, Py_ssize_t i, Py_ssize_t n, int depth)
{
    if (i >= n)
        return -1;
    unsigned char c = s[i];
    int k;
    if (c == '"')
        return json_string(s, i, n);
    if (c == '{' || c == '[') {
        unsigned char close = c == '{' ? '}' : ']';
        if (depth >= JSON_DEPTH)
            return -1;
        i = json_ws(s, i + 1, n);
        if (i < n && s[i] == close)
            return i + 1;
        for (;;) {
            if (c == '{') {
                if (i >= n || s[i] != '"')
                    return -1;
                i = json_string(s, i, n);
                if (i < 0)
                    return -1;
                i = json_ws(s, i, n);
                if (i >= n || s[i] != ':')
                    return -1;
                i = json_ws(s, i + 1, n);
            }
            i = json_value(s, i, n, depth + 1);
            if (i < 0)
                return -1;
            i = json_ws(s, i, n);
            if (i >= n)
                return -1;
            if (s[i] == close)
                return i + 1;
            if (s[i] != ',')
                return -1;
            i = json_ws(s, i + 1, n);
        }
    }
    if (c == '-' || (c >= '0' && c <= '9'))
        return json_number(s, i, n);
    if ((k = json_word(s, i, n, "true")) || (k = json_word(s, i, n, "false"))
        || (k = json_word(s, i, n, "null")) || (k = json_word(s, i, n, "NaN"))
        || (k = json_word(s, i, n, "Infinity")))
        return i + k;
    return -1;
}


/* How many groups of 1 to 4 hex digits, split by single colons, t[0..n) is (0 when empty);
 * -1 if it is not such groups. */
static int
v6_groups(const unsigned char *t, Py_ssize_t n)
{
    if (n == 0)
        return 0;
    int groups = 0;
    Py_ssize_t run = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i == n || t[i] == ':') {
            if (run < 1 || run > 4)
                return -1;
            groups++;
            run = 0;
        }
        else if (json_hex(t[i]))
            run++;
        else
            return -1;
    }
    return groups;
}

/* 4 or 6 when t[0..a) is an address written plainly: an IPv4 dotted quad without leading
 * zeros, or IPv6 groups of 1 to 4 hex digits with at most one "::" (no embedded IPv4, no
 * zone); else 0. What it accepts, Python's ipaddress accepts too. */
static int
plain_address(const unsigned char *t, Py_ssize_t a)
{
    const unsigned char *end = t + a;
    if (memchr(t, ':', (size_t)a) == NULL) {
        const unsigned char *p = t;
        for (int part = 0; part < 4; part++) {
            const unsigned char *q = p;
            while (q < end && *q >= '0' && *q <= '9')
                q++;
            long v = strict_number(p, q - p, 3);
            if (v < 0 || v > 255)
                return 0;
            if (part < 3) {
                if (q >= end || *q != '.')
                    return 0;
                q++;
            }
            else if (q != end)
                return 0;
            p = q;
        }
        return 4;
    }
    if (a < 2 || a > 39)
        return 0;
    Py_ssize_t dbl = -1;
    for (Py_ssize_t i = 0; i + 1 < a; i++)
        if (t[i] == ':' && t[i + 1] == ':') {
            if (dbl >= 0)
                return 0;
            dbl = i++;
        }
    if (dbl < 0)
        return v6_groups(t, a) == 8 ? 6 : 0;
    int head = v6_groups(t, dbl), tail = v6_groups(t + dbl + 2, a - dbl - 2);
    return head >= 0 && tail >= 0 && head + tail <= 7 ? 6 : 0;
}

/* 4 or 6 when t[0..n) is a prefix as prefixtext.prefix_family reads one (written plainly), else 0. */
static int
json_prefix_family(const unsigned char *t, Py_ssize_t n)
{
    const unsigned char *slash = memchr(t, '/', (size_t)n);
    if (slash == NULL)
        return 0;
    long length = strict_number(slash + 1, t + n - slash - 1, 3);
    int family = length < 0 ? 0 : plain_address(t, slash - t);
    return length <= (family == 4 ? 32 : 128) ? family : 0;
}

/* How many objects the list at s[pos..end) holds (end: where json_value said it ends), or -1
 * when it is no list or holds anything else. */
static Py_ssize_t
json_objects(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t n)
{
    if (s[pos] != '[')
        return -1;
    Py_ssize_t i = json_ws(s, pos + 1, n), items = 0;
    while (i < end && s[i] != ']') {
        if (s[i] != '{')
            return -1;
        i = json_ws(s, json_value(s, i, n, 1), n);
        items++;
        if (s[i] == ',')
            i = json_ws(s, i + 1, n);
    }
    return items;
}

/* How many members the object at s[pos..end) holds when each is an object (Genie's paths,
 * keyed "1", "2", ...), or -1 when it is no object or holds anything else; -2 when two of
 * its keys are written alike, one with an escape, or it has more than 16 (Python decides:
 * it keeps the last of a key given twice). */
static Py_ssize_t
json_keyed_objects(const unsigned char *s, Py_ssize_t pos, Py_ssize_t end, Py_ssize_t n)
{
    if (s[pos] != '{')
        return -1;
    Py_ssize_t keys[16][2], items = 0;
    int other = 0;
    Py_ssize_t i = json_ws(s, pos + 1, n);
    while (i < end && s[i] == '"') {
        Py_ssize_t kend = json_string(s, i, n);
        if (items == 16 || memchr(s + i + 1, '\\', (size_t)(kend - i - 2)) != NULL)
            return -2;
        for (Py_ssize_t k = 0; k < items; k++)
            if (keys[k][1] - keys[k][0] == kend - i && memcmp(s + keys[k][0], s + i, (size_t)(kend - i)) == 0)
                return -2;
        keys[items][0] = i;
        keys[items][1] = kend;
        items++;
        i = json_ws(s, json_ws(s, kend, n) + 1, n); /* past the colon */
        if (s[i] != '{')
            other = 1;
        i = json_ws(s, json_value(s, i, n, 1), n);
        if (s[i] == ',')
            i = json_ws(s, i + 1, n);
    }
    return other ? -1 : items;
}

/* The routes a value holds, as jsonstream._objects counts them: with no key (klen 0), the
 * objects of a list of objects; with a key, those of the object's member of that name (the
 * last, as Python keeps the last of a key given twice), a list of objects or an object of
 * them (json_keyed_objects). -1: not so; -2: a key written with an escape, which only Python
 * can compare (Python decides). The value is valid JSON. */
static Py_ssize_t
json_count(const unsigned char *s, Py_ssize_t vstart, Py_ssize_t vend, Py_ssize_t n,
           const unsigned char *key, Py_ssize_t klen)
{
    if (klen == 0)
        return json_objects(s, vstart, vend, n);
    if (s[vstart] != '{')
        return -1;
    Py_ssize_t i = json_ws(s, vstart + 1, n), items = -1;
    while (i < vend && s[i] == '"') {
        Py_ssize_t kend = json_string(s, i, n);
        if (memchr(s + i + 1, '\\', (size_t)(kend - i - 2)) != NULL)
            return -2;
        int named = kend - i - 2 == klen && memcmp(s + i + 1, key, (size_t)klen) == 0;
        i = json_ws(s, json_ws(s, kend, n) + 1, n); /* past the colon */
        Py_ssize_t e = json_value(s, i, n, 1);
        if (named)
            items = s[i] == '{' ? json_keyed_objects(s, i, e, n) : json_objects(s, i, e, n);
        i = json_ws(s, e, n);
        if (s[i] == ',')
            i = json_ws(s, i + 1, n);
    }
    return items;
}

/* A tuple of ASCII str? */
static int
ascii_tuple(PyObject *t)
{
    if (!PyTuple_Check(t))
        return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++)
        if (!PyUnicode_Check(PyTuple_GET_ITEM(t, i)) || !PyUnicode_IS_ASCII(PyTuple_GET_ITEM(t, i)))
            return 0;
    return 1;
}

/* args[0] and args[1] ASCII str, args[2] a tuple of ASCII str? */
static int
ascii_args(PyObject *const *args)
{
    if (!PyUnicode_Check(args[0]) || !PyUnicode_IS_ASCII(args[0]) || !PyUnicode_Check(args[1])
        || !PyUnicode_IS_ASCII(args[1]) || !PyTuple_Check(args[2]))
        return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args[2]); i++) {
        PyObject *name = PyTuple_GET_ITEM(args[2], i);
        if (!PyUnicode_Check(name) || !PyUnicode_IS_ASCII(name))
            return 0;
    }
    return 1;
}

/* Is key s[a..b) (raw) one of `allowed` (a tuple of ASCII str; empty: any key is)? */
static int
json_allowed(const unsigned char *s, Py_ssize_t a, Py_ssize_t b, PyObject *allowed)
{
    Py_ssize_t count = PyTuple_GET_SIZE(allowed);
    if (count == 0)
        return 1;
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *name = PyTuple_GET_ITEM(allowed, i);
        if (PyUnicode_GET_LENGTH(name) == b - a
            && memcmp(PyUnicode_1BYTE_DATA(name), s + a, (size_t)(b - a)) == 0)
            return 1;
    }
    return 0;
}

/* The network of a list's element, as jsonstream._extract reads it: the object's member
 * `name` (the last of that name) when it is a string, its text in s[*a..*b); 1 then. 0: no
 * such string, or the element is no object, or (with `allowed`) it has another key. -2: a
 * key or that string written with an escape (Python decodes and decides). Valid JSON. */
static int
json_member(const unsigned char *s, Py_ssize_t vstart, Py_ssize_t vend, Py_ssize_t n,
            const unsigned char *name, Py_ssize_t nlen, PyObject *allowed, Py_ssize_t *a,
            Py_ssize_t *b)
{
    if (s[vstart] != '{')
        return 0;
    int state = 0, unknown = 0; /* state: 0 no string, 1 plain string, -2 escaped string */
    Py_ssize_t i = json_ws(s, vstart + 1, n);
    while (i < vend && s[i] == '"') {
        Py_ssize_t kend = json_string(s, i, n);
        if (memchr(s + i + 1, '\\', (size_t)(kend - i - 2)) != NULL)
            return -2;
        if (!json_allowed(s, i + 1, kend - 1, allowed))
            unknown = 1;
        int named = kend - i - 2 == nlen && memcmp(s + i + 1, name, (size_t)nlen) == 0;
        i = json_ws(s, json_ws(s, kend, n) + 1, n); /* past the colon */
        Py_ssize_t e = json_value(s, i, n, 1);
        if (named) {
            state = 0;
            if (s[i] == '"') {
                state = memchr(s + i + 1, '\\', (size_t)(e - i - 2)) != NULL ? -2 : 1;
                *a = i + 1;
                *b = e - 1;
            }
        }
        i = json_ws(s, e, n);
        if (s[i] == ',')
            i = json_ws(s, i + 1, n);
    }
    if (unknown)
        return 0;
    return state;
}

/* Where the value of the object at s[pos]'s member `key` is, s[*a..*b) (the last, as Python
 * keeps the last of a key given twice): 1; 0 no such member; -2 a key written with an escape
 * (Python decides). Valid JSON. */
static int
json_member_span(const unsigned char *s, Py_ssize_t pos, Py_ssize_t n, const char *key,
                 Py_ssize_t klen, Py_ssize_t *a, Py_ssize_t *b)
{
    int found = 0;
    Py_ssize_t i = json_ws(s, pos + 1, n);
    while (i < n && s[i] == '"') {
        Py_ssize_t kend = json_string(s, i, n);
        if (memchr(s + i + 1, '\\', (size_t)(kend - i - 2)) != NULL)
            return -2;
        int named = kend - i - 2 == klen && memcmp(s + i + 1, key, (size_t)klen) == 0;
        i = json_ws(s, json_ws(s, kend, n) + 1, n); /* past the colon */
        Py_ssize_t e = json_value(s, i, n, 1);
        if (named) {
            found = 1;
            *a = i;
            *b = e;
        }
        i = json_ws(s, e, n);
        if (s[i] == ',')
            i = json_ws(s, i + 1, n);
    }
    return found;
}

static int
json_last_member(const unsigned char *s, Py_ssize_t pos, Py_ssize_t n, const char *key,
                 Py_ssize_t klen, Py_ssize_t *a)
{
    Py_ssize_t b = 0;
    return json_member_span(s, pos, n, key, klen, a, &b);
}

/* The routes of a record that has one per next hop (SuzieQ's nexthopIps and oifs, by
 * position): the longest of the lists of text its members `lists` name (absent or null:
 * none), at least one; -2 when one is anything else (Python decides). */
static Py_ssize_t
json_lists(const unsigned char *s, Py_ssize_t pos, Py_ssize_t n, PyObject *lists)
{
    Py_ssize_t most = 1;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(lists); k++) {
        PyObject *name = PyTuple_GET_ITEM(lists, k);
        Py_ssize_t a = 0, items = 0;
        int found = json_last_member(s, pos, n, (const char *)PyUnicode_1BYTE_DATA(name),
                                     PyUnicode_GET_LENGTH(name), &a);
        if (found < 0)
            return -2;
        if (found && s[a] != 'n') {
            if (s[a] != '[')
                return -2;
            Py_ssize_t i = json_ws(s, a + 1, n);
            while (i < n && s[i] != ']') {
                if (s[i] != '"')
                    return -2;
                items++;
                i = json_ws(s, json_value(s, i, n, 1), n);
                if (s[i] == ',')
                    i = json_ws(s, i + 1, n);
            }
        }
        if (items > most)
            most = items;
    }
    return most;
}

/* Do the object at s[pos]'s members `names` hold exactly the JSON texts `texts` ("": the
 * member is absent)? 1 yes; 0 no, or a key written with an escape (Python decides). */
static int
json_same(const unsigned char *s, Py_ssize_t pos, Py_ssize_t n, PyObject *names, PyObject *texts)
{
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(names); k++) {
        PyObject *name = PyTuple_GET_ITEM(names, k), *want = PyTuple_GET_ITEM(texts, k);
        Py_ssize_t a = 0, b = 0, len = PyUnicode_GET_LENGTH(want);
        int found = json_member_span(s, pos, n, (const char *)PyUnicode_1BYTE_DATA(name),
                                     PyUnicode_GET_LENGTH(name), &a, &b);
        if (found < 0 || found != (len > 0))
            return 0;
        if (found && (b - a != len || memcmp(s + a, PyUnicode_1BYTE_DATA(want), (size_t)len) != 0))
            return 0;
    }
    return 1;
}

/* The rows NX-API gives under the object at s[pos]'s "TABLE_<name>" -> "ROW_<name>", as
 * nxos_json.rows counts them: a list's objects, one object, else none; -2: Python decides. */
static Py_ssize_t
json_rows(const unsigned char *s, Py_ssize_t pos, Py_ssize_t n, const unsigned char *name,
          Py_ssize_t nlen)
{
    char key[72];
    Py_ssize_t a = 0;
    if (nlen > 64)
        return -2;
    memcpy(key, "TABLE_", 6);
    memcpy(key + 6, name, (size_t)nlen);
    int found = json_last_member(s, pos, n, key, 6 + nlen, &a);
    if (found <= 0 || s[a] != '{')
        return found < 0 ? -2 : 0;
    memcpy(key, "ROW_", 4);
    memcpy(key + 4, name, (size_t)nlen);
    found = json_last_member(s, a, n, key, 4 + nlen, &a);
    if (found <= 0 || (s[a] != '{' && s[a] != '['))
        return found < 0 ? -2 : 0;
    if (s[a] == '{')
        return 1;
    Py_ssize_t items = 0, i = json_ws(s, a + 1, n);
    while (i < n && s[i] != ']') {
        items += s[i] == '{';
        i = json_ws(s, json_value(s, i, n, 1), n);
        if (s[i] == ',')
            i = json_ws(s, i + 1, n);
    }
    return items;
}

/* json_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, count, member, allowed,
 *           lists, same, texts) -> (pos, paths4, paths6, closed, lines)
 *
 * Over the elements of a streamed table from pos (where one may begin: after its opening
 * bracket or a comma), skip each element whose network the reader would find irrelevant (as
 * `ignorable` decides for the line skimmer) and is a prefix as prefixtext.prefix_family reads
 * one, whose text holds no marker, and which is followed by "," or the table's closing
 * bracket; count its routes in its family. Two kinds of table:
 *
 * - member "": an object keyed by network ("NETWORK": [path, ...], as FRR prints its table);
 *   the member's routes are counted as json_count counts them (count: "" for a list of path
 *   objects, else the objects of the value's member of that name, as EOS gives them);
 * - member "NAME": a list of route objects whose network is their member NAME (Azure's
 *   "network"), read as json_member reads it (with allowed, no other key); one route each,
 *   or with count, the rows under its "TABLE_<count>" -> "ROW_<count>" (NX-API's paths,
 *   json_rows), or with lists, one per element of the longest of those lists of text
 *   (SuzieQ's next hops, json_lists); with same, only an element whose members of those
 *   names hold exactly the JSON texts given (one host's records, json_same).
 *
 * Stop at the first other element (pos then is where it begins; "closed" 0), or after the
 * closing bracket that follows an element skipped ("closed" 1). hints as for skim(). */
static PyObject *
json_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 14 || !ascii_args(args + 8) || !ascii_tuple(args[11]) || !ascii_tuple(args[12])
        || !ascii_tuple(args[13]) || PyTuple_GET_SIZE(args[12]) != PyTuple_GET_SIZE(args[13])) {
        PyErr_SetString(PyExc_TypeError,
                        "json_skim() takes 8 arguments, two ASCII str, then four tuples of ASCII "
                        "str (allowed, lists, same, and texts as many as same)");
        return NULL;
    }
    PyObject *lists = args[11], *same = args[12], *texts = args[13];
    const unsigned char *count_key = PyUnicode_1BYTE_DATA(args[8]);
    Py_ssize_t count_klen = PyUnicode_GET_LENGTH(args[8]);
    const unsigned char *member = PyUnicode_1BYTE_DATA(args[9]);
    Py_ssize_t member_len = PyUnicode_GET_LENGTH(args[9]);
    PyObject *allowed = args[10];
    Skim k;
    int ready = skim_setup(&k, args, 2, "json_skim(str, int, list, bytes, ..., tuple)");
    if (ready < 0)
        return NULL;
    Py_ssize_t pos = k.pos, n = k.end;
    if (ready == 0)
        return Py_BuildValue("(nnnin)", pos, (Py_ssize_t)0, (Py_ssize_t)0, 0, (Py_ssize_t)0);
    const unsigned char *s = k.s;
    Py_ssize_t p = pos, paths[2] = {0, 0};
    int closed = 0;
    Py_ssize_t lines = 0;
    Py_BEGIN_ALLOW_THREADS
    unsigned char close = member_len ? ']' : '}';
    for (;;) {
        Py_ssize_t i = json_ws(s, p, n), vstart, vend, items = 1, a = 0, b = 0;
        if (member_len) { /* a list: the network is the element's member */
            vstart = i;
            if (i >= n || s[i] != '{')
                break;
            vend = json_value(s, vstart, n, 0);
            if (vend < 0 || json_member(s, vstart, vend, n, member, member_len, allowed, &a, &b) != 1)
                break;
            if (count_klen)
                items = json_rows(s, vstart, n, count_key, count_klen);
            else if (PyTuple_GET_SIZE(lists))
                items = json_lists(s, vstart, n, lists);
            if (items < 0 || (PyTuple_GET_SIZE(same) && !json_same(s, vstart, n, same, texts)))
                break;
        }
        else { /* an object keyed by network */
            if (i >= n || s[i] != '"')
                break;
            Py_ssize_t k = i + 1;
            while (k < n && s[k] != '"' && s[k] != '\\' && s[k] >= 0x20)
                k++;
            if (k >= n || s[k] != '"')
                break;
            a = i + 1;
            b = k;
            i = json_ws(s, k + 1, n);
            if (i >= n || s[i] != ':')
                break;
            vstart = json_ws(s, i + 1, n);
            vend = json_value(s, vstart, n, 0);
            if (vend < 0)
                break;
            items = json_count(s, vstart, vend, n, count_key, count_klen);
            if (items < 0)
                break;
        }
        int family = json_prefix_family(s + a, b - a), six = 0;
        if (family == 0 || !ignorable(s + a, b - a, &k.tb, &six))
            break;
        if (marked(&k, vstart, vend))
            break;
        Py_ssize_t j = json_ws(s, vend, n);
        if (j >= n || (s[j] != ',' && s[j] != close))
            break;
        paths[family == 6] += items;
        p = j + 1;
        if (s[j] == close) {
            closed = 1;
            break;
        }
    }
    /* the lines passed over, so that the reader need not count them again */
    for (const unsigned char *c = s + pos, *stop = s + p;
         c < stop && (c = memchr(c, '\n', (size_t)(stop - c))) != NULL; c++)
        lines++;
    Py_END_ALLOW_THREADS
    for (Py_ssize_t i = 0; i < k.nmarkers; i++) {
        PyObject *v = PyLong_FromSsize_t(k.next[i]);
        if (v == NULL || PyList_SetItem(k.hints, i, v) < 0)
            return NULL;
    }
    return Py_BuildValue("(nnnin)", p, paths[0], paths[1], closed, lines);
}

static PyObject *
json_end(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 5 || !PyUnicode_Check(args[0]) || !ascii_args(args + 2)) {
        PyErr_SetString(PyExc_TypeError,
                        "json_end(text: str, pos: int, count: str, member: str, allowed: tuple)");
        return NULL;
    }
    PyObject *text = args[0];
    Py_ssize_t pos = PyLong_AsSsize_t(args[1]);
    if (pos == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (pos < 0 || pos > n) {
        PyErr_SetString(PyExc_ValueError, "position out of range");
        return NULL;
    }
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND)
        return Py_BuildValue("(nn)", (Py_ssize_t)-1, (Py_ssize_t)-1);
    const unsigned char *s = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t end = json_value(s, pos, n, 0);
    if (end < 0)
        return Py_BuildValue("(nn)", end, (Py_ssize_t)-1);
    if (PyUnicode_GET_LENGTH(args[3]) > 0) {
        Py_ssize_t a = 0, b = 0;
        int found = json_member(s, pos, end, n, PyUnicode_1BYTE_DATA(args[3]),
                                PyUnicode_GET_LENGTH(args[3]), args[4], &a, &b);
        if (found == 1)
            return Py_BuildValue("(nN)", end, PyUnicode_DecodeLatin1((const char *)s + a, b - a, NULL));
        if (found == 0)
            return Py_BuildValue("(nO)", end, Py_None);
        return Py_BuildValue("(nn)", end, (Py_ssize_t)-2);
    }
    Py_ssize_t items = json_count(s, pos, end, n, PyUnicode_1BYTE_DATA(args[2]),
                                  PyUnicode_GET_LENGTH(args[2]));
    return Py_BuildValue("(nn)", end, items);
}

/* ------------------------------------------------------------------------------------------
 * route_skim: skip the plain route lines of `show ip route` (ios_route.py) that cannot matter.
 *
 * route_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, mask, codes, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A plain route line is printable ASCII: one or two route-code tokens (each part between the
 * marks * + % & > one of `codes`), a network ("[hex:.]+" with a dot or colon, "/1-3 digits"
 * optional; with no mask and `mask` >= 0, an IPv4 network takes that length, as under an
 * "is subnetted" header), then the rest of the route with "via" or "directly connected" in it,
 * not ending in a comma, without "subnetted" or " - ". It is skipped when its network is
 * ignorable (as for skim()) and it holds no marker, and only when the line after it is such a
 * line too, so that the reader's current route (the one an indented next-hop line below
 * belongs to) is always one it read. Python calls this only between routes (no route waiting
 * for its next hop, not in the code table, past the header), where its reader would count such
 * a line and go on.
 */

static int
code_part(const unsigned char *t, Py_ssize_t n, PyObject *codes)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(codes); i++) {
        PyObject *c = PyTuple_GET_ITEM(codes, i);
        if (PyUnicode_GET_LENGTH(c) == n && memcmp(PyUnicode_1BYTE_DATA(c), t, (size_t)n) == 0)
            return 1;
    }
    return 0;
}

/* How many codes the token t[0..n) holds (its parts between marks), or -1 if a part is none. */
static int
code_token(const unsigned char *t, Py_ssize_t n, PyObject *codes)
{
    int found = 0;
    Py_ssize_t start = 0;
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (i == n || t[i] == '*' || t[i] == '+' || t[i] == '%' || t[i] == '&' || t[i] == '>') {
            if (i > start) {
                if (!code_part(t + start, i - start, codes))
                    return -1;
                found++;
            }
            start = i + 1;
        }
    }
    return found;
}

static int
net_token(const unsigned char *t, Py_ssize_t n)
{
    Py_ssize_t i = 0;
    int sep = 0;
    for (; i < n && t[i] != '/'; i++) {
        if (t[i] == '.' || t[i] == ':')
            sep = 1;
        else if (!json_hex(t[i]))
            return 0;
    }
    if (i == 0 || !sep)
        return 0;
    if (i == n)
        return 1;
    Py_ssize_t digits = n - i - 1;
    if (digits < 1 || digits > 3)
        return 0;
    for (Py_ssize_t k = i + 1; k < n; k++)
        if (t[k] < '0' || t[k] > '9')
            return 0;
    return 1;
}

static const unsigned char *
find_in(const unsigned char *s, Py_ssize_t n, const char *needle)
{
    return find(s, n, (const unsigned char *)needle, (Py_ssize_t)strlen(needle));
}

/* The family (4, 6) of the plain route line s[p..e) that cannot matter, else 0. */
static int
plain_route(const unsigned char *s, Py_ssize_t p, Py_ssize_t e, const Tables *tb, long mask,
            PyObject *codes)
{
    for (Py_ssize_t i = p; i < e; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return 0;
    Py_ssize_t i = p, last = e;
    while (i < e && s[i] == ' ')
        i++;
    while (last > i && s[last - 1] == ' ')
        last--;
    if (i >= last || s[last - 1] == ',')
        return 0;
    Py_ssize_t len = e - p;
    if ((find_in(s + p, len, "via") == NULL && find_in(s + p, len, "directly connected") == NULL)
        || find_in(s + p, len, "subnetted") != NULL || find_in(s + p, len, " - ") != NULL)
        return 0;
    int codes_found = 0;
    for (int token = 0; token < 3; token++) {
        Py_ssize_t j = i;
        while (j < last && s[j] != ' ')
            j++;
        if (net_token(s + i, j - i)) {
            if (codes_found == 0)
                return 0;
            unsigned char net[80];
            Py_ssize_t n = j - i;
            if (n > 60)
                return 0;
            memcpy(net, s + i, (size_t)n);
            if (mask >= 0 && memchr(net, '/', (size_t)n) == NULL && memchr(net, ':', (size_t)n) == NULL)
                n += snprintf((char *)net + n, sizeof net - (size_t)n, "/%ld", mask);
            int six = 0;
            if (!ignorable(net, n, tb, &six))
                return 0;
            return six ? 6 : 4;
        }
        if (token == 2)
            return 0;
        int k = code_token(s + i, j - i, codes);
        if (k < 0)
            return 0;
        codes_found += k;
        i = j;
        while (i < last && s[i] == ' ')
            i++;
        if (i >= last)
            return 0;
    }
    return 0;
}

static PyObject *
route_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "route_skim() takes 11 arguments");
        return NULL;
    }
    PyObject *codes = args[9];
    long mask = PyLong_AsLong(args[8]);
    Py_ssize_t max_line = PyLong_AsSsize_t(args[10]);
    if (PyErr_Occurred())
        return NULL;
    if (!PyTuple_Check(codes)) {
        PyErr_SetString(PyExc_TypeError, "route_skim(str, int, list, bytes, ..., tuple, int, tuple, int)");
        return NULL;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(codes); i++) {
        PyObject *c = PyTuple_GET_ITEM(codes, i);
        if (!PyUnicode_Check(c) || !PyUnicode_IS_ASCII(c)) {
            PyErr_SetString(PyExc_TypeError, "codes must be ASCII str");
            return NULL;
        }
    }
    Skim k;
    int ready = skim_setup(&k, args, 2, "route_skim(str, int, list, bytes, ..., tuple, int, tuple, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0 || mask > 32)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, pos = k.pos;
    Py_ssize_t p = pos, lines = 0, paths[2] = {0, 0};
    int family = -1; /* the current line's, once known */
    while (p < end) {
        const unsigned char *nl = memchr(s + p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s;
        if (e - p + 1 >= max_line)
            break;
        if (family < 0) {
            family = plain_route(s, p, e, &k.tb, mask, codes);
            if (family && marked(&k, p, e))
                family = 0;
        }
        if (family == 0)
            break;
        /* the next line must be one too: else it may belong to this route */
        Py_ssize_t q = e + 1;
        const unsigned char *nl2 = q < end ? memchr(s + q, '\n', (size_t)(end - q)) : NULL;
        if (nl2 == NULL || nl2 - s - q + 1 >= max_line)
            break;
        Py_ssize_t e2 = nl2 - s;
        int after = plain_route(s, q, e2, &k.tb, mask, codes);
        if (after && marked(&k, q, e2))
            after = 0;
        if (after == 0)
            break;
        paths[family == 6]++;
        lines++;
        p = q;
        family = after;
    }
    return skim_done(&k, p, lines, paths);
}

/* ------------------------------------------------------------------------------------------
 * csv_skim: skip the rows of the generic CSV form (generic_csv.py) that cannot matter.
 *
 * csv_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, columns, at, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A row is skipped when it is one line of printable ASCII without a quote, of exactly
 * `columns` fields split at commas, not blank, not a comment (#), whose field `at` (spaces
 * stripped) is a prefix written plainly (json_prefix_family) that is ignorable (as for skim()),
 * and which holds no marker: the reader would count it and go on. It stops at any other row.
 */
static PyObject *
csv_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 11) {
        PyErr_SetString(PyExc_TypeError, "csv_skim() takes 11 arguments");
        return NULL;
    }
    Py_ssize_t columns = PyLong_AsSsize_t(args[8]);
    Py_ssize_t at = PyLong_AsSsize_t(args[9]);
    Py_ssize_t max_line = PyLong_AsSsize_t(args[10]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 2, "csv_skim(str, int, list, bytes, ..., tuple, int, int, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0 || at < 0 || at >= columns)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, pos = k.pos;
    Py_ssize_t p = pos, lines = 0, paths[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    while (p < end) {
        const unsigned char *nl = memchr(s + p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s;
        if (e - p + 1 >= max_line)
            break;
        int ok = 1, blank = 1;
        Py_ssize_t fields = 1, fstart = p, a = -1, b = -1, first = -1;
        for (Py_ssize_t i = p; i <= e && ok; i++) {
            unsigned char c = i < e ? s[i] : ',';
            if (i < e && (c < 0x20 || c > 0x7e || c == '"'))
                ok = 0;
            else if (c == ',') {
                if (fields - 1 == at) {
                    a = fstart;
                    b = i;
                }
                if (i < e)
                    fields++;
                fstart = i + 1;
            }
            else if (c != ' ') {
                blank = 0;
                if (first < 0)
                    first = i;
            }
        }
        if (!ok || blank || fields != columns || (first >= 0 && s[first] == '#') || a < 0)
            break;
        while (a < b && s[a] == ' ')
            a++;
        while (b > a && s[b - 1] == ' ')
            b--;
        int family = json_prefix_family(s + a, b - a), six = 0;
        if (family == 0 || !ignorable(s + a, b - a, &k.tb, &six))
            break;
        if (marked(&k, p, e))
            break;
        paths[family == 6]++;
        lines++;
        p = e + 1;
    }
    Py_END_ALLOW_THREADS
    return skim_done(&k, p, lines, paths);
}

/* ------------------------------------------------------------------------------------------
 * bird_skim: skip the routes of BIRD's `show route all` (bird.py) that cannot matter.
 *
 * bird_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A route is a network line (a prefix at the start of the line, then a space or tab) and the
 * lines below it up to the next network line: its further paths (indented "unicast [...",
 * "via ..." lines) and their attributes. From pos, a route is skipped when its network is
 * ignorable (as for skim()), none of its lines holds a marker, every line is printable ASCII
 * or tab, and the next network line is in the text: the reader would count its paths (the
 * network line's and one per further path) and read nothing else of it.
 */

/* Is s[p..e) a network line, as bird.py's _FIRST matches one? */
static int
bird_first(const unsigned char *s, Py_ssize_t p, Py_ssize_t e, Py_ssize_t *net_end)
{
    Py_ssize_t i = p;
    while (i < e && (json_hex(s[i]) || s[i] == ':' || s[i] == '.'))
        i++;
    if (i == p || i >= e || s[i] != '/')
        return 0;
    Py_ssize_t d = ++i;
    while (i < e && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i - d < 1 || i - d > 3 || i >= e || (s[i] != ' ' && s[i] != '\t'))
        return 0;
    *net_end = i;
    return 1;
}

static int
starts(const unsigned char *s, Py_ssize_t n, const char *word)
{
    Py_ssize_t k = (Py_ssize_t)strlen(word);
    return n >= k && memcmp(s, word, (size_t)k) == 0;
}

static PyObject *
bird_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "bird_skim() takes 9 arguments");
        return NULL;
    }
    Py_ssize_t max_line = PyLong_AsSsize_t(args[8]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 2, "bird_skim(str, int, list, bytes, ..., tuple, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, pos = k.pos;
    Py_ssize_t p = pos, lines = 0, paths[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    for (;;) {
        /* the route's network line */
        const unsigned char *nl = p < end ? memchr(s + p, '\n', (size_t)(end - p)) : NULL;
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s, net_end = 0;
        if (e - p + 1 >= max_line || !bird_first(s, p, e, &net_end))
            break;
        int six = 0;
        if (!ignorable(s + p, net_end - p, &k.tb, &six))
            break;
        /* its lines, up to the next network line */
        Py_ssize_t q = e + 1, count = 1, n = 1, stop = -1;
        int ok = 1;
        for (Py_ssize_t i = p; i < e; i++)
            if ((s[i] < 0x20 && s[i] != '\t') || s[i] > 0x7e)
                ok = 0;
        while (ok) {
            const unsigned char *nl2 = q < end ? memchr(s + q, '\n', (size_t)(end - q)) : NULL;
            if (nl2 == NULL) {
                ok = 0; /* the route may go on in the next text */
                break;
            }
            Py_ssize_t e2 = nl2 - s, unused;
            if (e2 - q + 1 >= max_line) {
                ok = 0;
                break;
            }
            if (bird_first(s, q, e2, &unused)) {
                stop = q;
                break;
            }
            for (Py_ssize_t i = q; i < e2; i++)
                if ((s[i] < 0x20 && s[i] != '\t') || s[i] > 0x7e)
                    ok = 0;
            Py_ssize_t a = q, b = e2;
            while (a < b && (s[a] == ' ' || s[a] == '\t'))
                a++;
            while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
                b--;
            if (a < b && (s[q] == ' ' || s[q] == '\t') && memchr(s + a, '[', (size_t)(b - a))
                && memchr(s + a, ']', (size_t)(b - a))
                && (starts(s + a, b - a, "unicast") || starts(s + a, b - a, "via")
                    || starts(s + a, b - a, "blackhole") || starts(s + a, b - a, "unreachable")
                    || starts(s + a, b - a, "prohibit")))
                count++;
            n++;
            q = e2 + 1;
        }
        if (!ok || stop < 0)
            break;
        if (marked(&k, p, stop))
            break;
        paths[six] += count;
        lines += n;
        p = stop;
    }
    Py_END_ALLOW_THREADS
    return skim_done(&k, p, lines, paths);
}

/* ------------------------------------------------------------------------------------------
 * junos_skim: skip the destinations of Junos `show route` (brief form, junos_route.py) that
 * cannot matter.
 *
 * junos_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A destination is its line (a prefix, spaces, its first entry "*[BGP/170] ...") and the lines
 * below it up to the next destination line: further entries ("[BGP/170] ...") and the lines
 * under an entry that begin "AS path", "to ", "via " or ">" (the reader puts those aside for a
 * destination that cannot matter, and reads them only if a marker turns up). It is skipped
 * when its network is ignorable (as for skim()), no line holds a marker, every line is
 * printable ASCII and no other kind, and the next destination line is in the text: the reader
 * would count its entries and read nothing else. Python calls this only inside an IP table of
 * the brief or detail views (not a receive-/advertising-protocol table).
 */

static Py_ssize_t
skip_spaces(const unsigned char *s, Py_ssize_t i, Py_ssize_t e)
{
    while (i < e && s[i] == ' ')
        i++;
    return i;
}

static int
word_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Does s[i..e) begin an entry, as junos_route._ENTRY matches one ([*+-]* [PROTOCOL/PREF...])? */
static int
junos_entry(const unsigned char *s, Py_ssize_t i, Py_ssize_t e)
{
    i = skip_spaces(s, i, e);
    while (i < e && (s[i] == '*' || s[i] == '+' || s[i] == '-'))
        i++;
    i = skip_spaces(s, i, e);
    if (i >= e || s[i] != '[' || i + 1 >= e || !word_char(s[i + 1]))
        return 0;
    i += 2;
    while (i < e && (word_char(s[i]) || s[i] == '-'))
        i++;
    if (i >= e || s[i] != '/')
        return 0;
    Py_ssize_t d = ++i;
    while (i < e && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == d)
        return 0;
    return memchr(s + i, ']', (size_t)(e - i)) != NULL;
}

/* Is s[p..e) a destination line: spaces, a prefix, spaces, an entry? Its network in *a..*b. */
static int
junos_dest(const unsigned char *s, Py_ssize_t p, Py_ssize_t e, Py_ssize_t *a, Py_ssize_t *b)
{
    Py_ssize_t i = skip_spaces(s, p, e);
    *a = i;
    while (i < e && (json_hex(s[i]) || s[i] == ':' || s[i] == '.'))
        i++;
    if (i == *a || i >= e || s[i] != '/')
        return 0;
    Py_ssize_t d = ++i;
    while (i < e && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i - d < 1 || i - d > 3 || i >= e || s[i] != ' ')
        return 0;
    *b = i;
    return junos_entry(s, i, e);
}

static int
junos_plain(const unsigned char *s, Py_ssize_t p, Py_ssize_t e)
{
    for (Py_ssize_t i = p; i < e; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return 0;
    Py_ssize_t n = e - p;
    return find_in(s + p, n, " destinations, ") == NULL && find_in(s + p, n, "Originating RIB:") == NULL
           && find_in(s + p, n, "announced)") == NULL;
}

static PyObject *
junos_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "junos_skim() takes 9 arguments");
        return NULL;
    }
    Py_ssize_t max_line = PyLong_AsSsize_t(args[8]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 2, "junos_skim(str, int, list, bytes, ..., tuple, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, pos = k.pos;
    Py_ssize_t p = pos, lines = 0, paths[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    for (;;) {
        const unsigned char *nl = p < end ? memchr(s + p, '\n', (size_t)(end - p)) : NULL;
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s, a = 0, b = 0;
        if (e - p + 1 >= max_line || !junos_plain(s, p, e) || !junos_dest(s, p, e, &a, &b))
            break;
        int six = 0;
        if (!ignorable(s + a, b - a, &k.tb, &six))
            break;
        Py_ssize_t q = e + 1, entries = 1, n = 1, stop = -1;
        for (;;) {
            const unsigned char *nl2 = q < end ? memchr(s + q, '\n', (size_t)(end - q)) : NULL;
            if (nl2 == NULL)
                break;
            Py_ssize_t e2 = nl2 - s, a2, b2;
            if (e2 - q + 1 >= max_line || !junos_plain(s, q, e2))
                break;
            if (junos_dest(s, q, e2, &a2, &b2)) {
                stop = q;
                break;
            }
            Py_ssize_t t = skip_spaces(s, q, e2), len = e2 - t;
            if (junos_entry(s, q, e2))
                entries++;
            else if (!(t == e2 || starts(s + t, len, "AS path") || starts(s + t, len, "to ")
                       || starts(s + t, len, "via ") || starts(s + t, len, ">")
                       || starts(s + t, len, "+ = Active")))
                break;
            n++;
            q = e2 + 1;
        }
        if (stop < 0)
            break;
        if (marked(&k, p, stop))
            break;
        paths[six] += entries;
        lines += n;
        p = stop;
    }
    Py_END_ALLOW_THREADS
    return skim_done(&k, p, lines, paths);
}

/* ------------------------------------------------------------------------------------------
 * nxos_skim: skip the destinations of NX-OS `show ip route` (nxos_route.py) that cannot
 * matter.
 *
 * nxos_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A destination is its line ("10.0.0.0/8, ubest/mbest: 1/0" at the start of the line) and its
 * via lines, each as nxos_route._VIA reads one, up to the next destination line. It is skipped
 * when its network is ignorable (as for skim()), it has at least one via line, no line holds
 * a marker, every line is printable ASCII, and the next destination line is in the text: the
 * reader would count its via lines and read nothing else.
 */

static Py_ssize_t
digits_at(const unsigned char *s, Py_ssize_t i, Py_ssize_t e)
{
    Py_ssize_t d = i;
    while (i < e && s[i] >= '0' && s[i] <= '9')
        i++;
    return i > d ? i : -1;
}

/* Is s[p..e) a destination line? Its network in s[p..*b). */
static int
nxos_dest(const unsigned char *s, Py_ssize_t p, Py_ssize_t e, Py_ssize_t *b)
{
    Py_ssize_t i = p;
    while (i < e && (json_hex(s[i]) || s[i] == ':' || s[i] == '.'))
        i++;
    if (i == p || i >= e || s[i] != '/')
        return 0;
    Py_ssize_t d = i + 1, j = digits_at(s, d, e);
    if (j < 0 || j - d > 3)
        return 0;
    *b = j;
    if (!starts(s + j, e - j, ", ubest/mbest: "))
        return 0;
    j = digits_at(s, j + 15, e);
    if (j < 0 || j >= e || s[j] != '/')
        return 0;
    return digits_at(s, j + 1, e) >= 0;
}

/* Does s[p..e) read as nxos_route._VIA reads a via line? */
static int
nxos_via(const unsigned char *s, Py_ssize_t p, Py_ssize_t e)
{
    Py_ssize_t i = p;
    while (i < e && s[i] == ' ')
        i++;
    if (i == p)
        return 0;
    if (i < e && s[i] == '*')
        i++;
    if (i < e && s[i] == '*')
        i++;
    if (!starts(s + i, e - i, "via "))
        return 0;
    i += 4;
    Py_ssize_t h = i;
    while (i < e && s[i] != ' ' && s[i] != ',')
        i++;
    if (i == h)
        return 0;
    if (!starts(s + i, e - i, ", [")) {
        /* an interface: ", " then a character other than [, space or comma, then no comma */
        if (!starts(s + i, e - i, ", ") || i + 2 >= e || s[i + 2] == '[' || s[i + 2] == ' '
            || s[i + 2] == ',')
            return 0;
        i += 3;
        while (i < e && s[i] != ',')
            i++;
        if (!starts(s + i, e - i, ", ["))
            return 0;
    }
    i = digits_at(s, i + 3, e);
    if (i < 0 || i >= e || s[i] != '/')
        return 0;
    i = digits_at(s, i + 1, e);
    if (i < 0 || !starts(s + i, e - i, "], "))
        return 0;
    i += 3;
    Py_ssize_t a = i;
    while (i < e && s[i] != ',')
        i++;
    if (i == a || !starts(s + i, e - i, ", "))
        return 0;
    i += 2;
    return i < e && s[i] != ',' && s[i] != ' ';
}

static PyObject *
nxos_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "nxos_skim() takes 9 arguments");
        return NULL;
    }
    Py_ssize_t max_line = PyLong_AsSsize_t(args[8]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 2, "nxos_skim(str, int, list, bytes, ..., tuple, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, pos = k.pos;
    Py_ssize_t p = pos, lines = 0, paths[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    for (;;) {
        const unsigned char *nl = p < end ? memchr(s + p, '\n', (size_t)(end - p)) : NULL;
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s, b = 0, unused;
        if (e - p + 1 >= max_line || !junos_plain(s, p, e) || !nxos_dest(s, p, e, &b))
            break;
        int six = 0;
        if (!ignorable(s + p, b - p, &k.tb, &six))
            break;
        Py_ssize_t q = e + 1, vias = 0, n = 1, stop = -1;
        for (;;) {
            const unsigned char *nl2 = q < end ? memchr(s + q, '\n', (size_t)(end - q)) : NULL;
            if (nl2 == NULL)
                break;
            Py_ssize_t e2 = nl2 - s;
            if (e2 - q + 1 >= max_line || !junos_plain(s, q, e2))
                break;
            if (nxos_dest(s, q, e2, &unused)) {
                stop = q;
                break;
            }
            if (!nxos_via(s, q, e2))
                break;
            vias++;
            n++;
            q = e2 + 1;
        }
        if (stop < 0 || vias == 0)
            break;
        if (marked(&k, p, stop))
            break;
        paths[six] += vias;
        lines += n;
        p = stop;
    }
    Py_END_ALLOW_THREADS
    return skim_done(&k, p, lines, paths);
}

static PyObject *
prefix_family(PyObject *module, PyObject *text)
{
    (void)module;
    if (!PyUnicode_Check(text) || PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND)
        return PyLong_FromLong(0);
    return PyLong_FromLong(
        json_prefix_family(PyUnicode_1BYTE_DATA(text), PyUnicode_GET_LENGTH(text)));
}

/* ------------------------------------------------------------------------------------------
 * openbgpd_skim: skip the rows of OpenBGPD's `bgpctl show rib` (openbgpd.py) that cannot
 * matter.
 *
 * openbgpd_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A row is one line: flag and validation-state words, the destination, the gateway,
 * LOCAL_PREF, MED, the AS path and the origin code. It is skipped when the line is printable
 * ASCII (words split by spaces and tabs); every word before the destination is made of the
 * letters "*>IASENV!?-" (never '/' nor '=': a legend line such as "* = Valid" is Python's);
 * the destination is a prefix written plainly (json_prefix_family) and ignorable (as for
 * skim()); the gateway an address written plainly (plain_address); LOCAL_PREF and MED 1 to 18
 * digits; each AS path word a plain AS number from 1 to 4294967295 (sets, confederations,
 * asdot and AS 0 are left to Python); the last word i, e or ?; and no marker lies in the line:
 * the reader would count it and go on. It stops at any other line. Python calls it only
 * inside a table (after its header).
 */

static int
openbgpd_row(const unsigned char *s, Py_ssize_t p, Py_ssize_t e, const Tables *tb, int *six)
{
    Py_ssize_t w[64][2], nw = 0; /* the words: (start, end) */
    for (Py_ssize_t i = p; i < e;) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t') {
            i++;
            continue;
        }
        if (c < 0x20 || c > 0x7e || nw == 64)
            return 0;
        Py_ssize_t j = i;
        while (j < e && s[j] != ' ' && s[j] != '\t') {
            if (s[j] < 0x20 || s[j] > 0x7e)
                return 0;
            j++;
        }
        w[nw][0] = i;
        w[nw][1] = j;
        nw++;
        i = j;
    }
    Py_ssize_t at = 0;
    for (; at < nw; at++) {
        const unsigned char *t = s + w[at][0];
        Py_ssize_t n = w[at][1] - w[at][0];
        if (memchr(t, '/', (size_t)n) != NULL)
            break;
        for (Py_ssize_t i = 0; i < n; i++)
            if (strchr("*>IASENV!?-", t[i]) == NULL)
                return 0;
    }
    if (at + 5 > nw)
        return 0;
    const unsigned char *net = s + w[at][0];
    Py_ssize_t net_n = w[at][1] - w[at][0];
    if (json_prefix_family(net, net_n) == 0 || !ignorable(net, net_n, tb, six))
        return 0;
    if (plain_address(s + w[at + 1][0], w[at + 1][1] - w[at + 1][0]) == 0)
        return 0;
    for (Py_ssize_t k = at + 2; k < at + 4; k++) {
        Py_ssize_t n = w[k][1] - w[k][0];
        if (n < 1 || n > 18)
            return 0;
        for (Py_ssize_t i = w[k][0]; i < w[k][1]; i++)
            if (s[i] < '0' || s[i] > '9')
                return 0;
    }
    for (Py_ssize_t k = at + 4; k < nw - 1; k++) {
        long long v = 0;
        Py_ssize_t n = w[k][1] - w[k][0];
        if (n < 1 || n > 10 || s[w[k][0]] == '0')
            return 0;
        for (Py_ssize_t i = w[k][0]; i < w[k][1]; i++) {
            if (s[i] < '0' || s[i] > '9')
                return 0;
            v = v * 10 + (s[i] - '0');
        }
        if (v > 4294967295LL)
            return 0;
    }
    Py_ssize_t last = nw - 1;
    unsigned char o = s[w[last][0]];
    return w[last][1] - w[last][0] == 1 && (o == 'i' || o == 'e' || o == '?');
}

static PyObject *
openbgpd_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "openbgpd_skim() takes 9 arguments");
        return NULL;
    }
    Py_ssize_t max_line = PyLong_AsSsize_t(args[8]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 2, "openbgpd_skim(str, int, list, bytes, ..., tuple, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        return nothing_passed(k.pos);
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, p = k.pos, lines = 0, paths[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    while (p < end) {
        const unsigned char *nl = memchr(s + p, '\n', (size_t)(end - p));
        if (nl == NULL)
            break;
        Py_ssize_t e = nl - s;
        int six = 0;
        if (e - p + 1 >= max_line || !openbgpd_row(s, p, e, &k.tb, &six) || marked(&k, p, e))
            break;
        paths[six]++;
        lines++;
        p = e + 1;
    }
    Py_END_ALLOW_THREADS
    return skim_done(&k, p, lines, paths);
}

/* ------------------------------------------------------------------------------------------
 * azure_ps_skim: skip the records of Azure PowerShell's Get-AzExpressRouteCircuitRouteTable
 * list form (azure_ps.py) that cannot matter.
 *
 * azure_ps_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line)
 *     -> (new_pos, lines, paths4, paths6)
 *
 * A record is its "Name : value" lines up to a blank line. From pos (where the reader holds no
 * record), a record is skipped with its blank line when every line is printable ASCII, its
 * names are LocPrf, Network, NextHop, Path and Weight, each at most once, Network among them;
 * the Network is a prefix written plainly (json_prefix_family) and ignorable (as for skim());
 * each Path word holds '#' (a masked number the reader drops) or is a plain AS number from 1
 * to 4294967295; no marker lies in it; and its blank line (spaces and tabs only) is in the
 * text: the reader would count one route and read nothing else of it.
 */

static int
azure_ps_path(const unsigned char *s, Py_ssize_t a, Py_ssize_t b)
{
    Py_ssize_t i = a;
    while (i < b) {
        while (i < b && (s[i] == ' ' || s[i] == '\t'))
            i++;
        Py_ssize_t j = i;
        int hash = 0;
        while (j < b && s[j] != ' ' && s[j] != '\t')
            hash |= s[j++] == '#';
        if (j > i && !hash) {
            if (j - i > 10 || s[i] == '0')
                return 0;
            long long v = 0;
            for (Py_ssize_t k = i; k < j; k++) {
                if (s[k] < '0' || s[k] > '9')
                    return 0;
                v = v * 10 + (s[k] - '0');
            }
            if (v > 4294967295LL)
                return 0;
        }
        i = j;
    }
    return 1;
}

static PyObject *
azure_ps_skim(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 9) {
        PyErr_SetString(PyExc_TypeError, "azure_ps_skim() takes 9 arguments");
        return NULL;
    }
    Py_ssize_t max_line = PyLong_AsSsize_t(args[8]);
    if (PyErr_Occurred())
        return NULL;
    Skim k;
    int ready = skim_setup(&k, args, 2, "azure_ps_skim(str, int, list, bytes, ..., tuple, int)");
    if (ready < 0)
        return NULL;
    if (ready == 0)
        return nothing_passed(k.pos);
    static const char *const names[] = {"LocPrf", "Network", "NextHop", "Path", "Weight"};
    const unsigned char *s = k.s;
    Py_ssize_t end = k.end, p = k.pos, lines = 0, paths[2] = {0, 0};
    Py_BEGIN_ALLOW_THREADS
    for (;;) {
        Py_ssize_t q = p, n = 0, net_a = -1, net_b = -1, stop = -1;
        int seen = 0, ok = 1;
        while (ok) {
            const unsigned char *nl = q < end ? memchr(s + q, '\n', (size_t)(end - q)) : NULL;
            if (nl == NULL || nl - s - q + 1 >= max_line) {
                ok = 0;
                break;
            }
            Py_ssize_t e = nl - s, i = q;
            for (Py_ssize_t c = q; c < e; c++)
                if ((s[c] < 0x20 && s[c] != '\t') || s[c] > 0x7e)
                    ok = 0;
            while (i < e && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (!ok)
                break;
            if (i == e) { /* the blank line that ends the record */
                if (n == 0)
                    ok = 0;
                stop = e + 1;
                n++;
                break;
            }
            const unsigned char *colon = memchr(s + i, ':', (size_t)(e - i));
            if (colon == NULL) {
                ok = 0;
                break;
            }
            Py_ssize_t ke = colon - s, va = ke + 1, vb = e;
            while (ke > i && (s[ke - 1] == ' ' || s[ke - 1] == '\t'))
                ke--;
            while (va < vb && (s[va] == ' ' || s[va] == '\t'))
                va++;
            while (vb > va && (s[vb - 1] == ' ' || s[vb - 1] == '\t'))
                vb--;
            int which = -1;
            for (int w = 0; w < 5; w++)
                if ((Py_ssize_t)strlen(names[w]) == ke - i && memcmp(s + i, names[w], (size_t)(ke - i)) == 0)
                    which = w;
            if (which < 0 || (seen >> which) & 1) {
                ok = 0;
                break;
            }
            seen |= 1 << which;
            if (which == 1) {
                net_a = va;
                net_b = vb;
            }
            else if (which == 3 && !azure_ps_path(s, va, vb))
                ok = 0;
            n++;
            q = e + 1;
        }
        if (!ok || stop < 0 || net_a < 0)
            break;
        int six = 0;
        if (json_prefix_family(s + net_a, net_b - net_a) == 0
            || !ignorable(s + net_a, net_b - net_a, &k.tb, &six) || marked(&k, p, stop))
            break;
        paths[six]++;
        lines += n;
        p = stop;
    }
    Py_END_ALLOW_THREADS
    return skim_done(&k, p, lines, paths);
}

static PyMethodDef methods[] = {
    {"skim", (PyCFunction)(void (*)(void))skim, METH_FASTCALL,
     "skim(text, pos, net_col, nh_col, hints, octets, keys4, hextets, ranges4, markers, "
     "max_line)\n"
     "-> (new_pos, lines, paths4, paths6): skip whole groups of route lines that cannot "
     "matter."},
    {"json_end", (PyCFunction)(void (*)(void))json_end, METH_FASTCALL,
     "json_end(text, pos, count, member, allowed) -> (end, info): where the JSON value at pos "
     "ends (-1: Python must decode it), and what it holds: with a member name, that member's "
     "string (or None); else how many objects (a list of objects; with count, the object's "
     "member of that name; -1: not so). -2: Python must decide."},
    {"json_skim", (PyCFunction)(void (*)(void))json_skim, METH_FASTCALL,
     "json_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, count, member, "
     "allowed) -> (pos, paths4, "
     "paths6, closed): skip the members of an object keyed by network that cannot matter."},
    {"route_skim", (PyCFunction)(void (*)(void))route_skim, METH_FASTCALL,
     "route_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, mask, codes, "
     "max_line) -> (new_pos, lines, paths4, paths6): skip plain show ip route lines that "
     "cannot matter."},
    {"openbgpd_skim", (PyCFunction)(void (*)(void))openbgpd_skim, METH_FASTCALL,
     "openbgpd_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line) -> "
     "(new_pos, lines, paths4, paths6): skip bgpctl show rib rows that cannot matter."},
    {"azure_ps_skim", (PyCFunction)(void (*)(void))azure_ps_skim, METH_FASTCALL,
     "azure_ps_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line) -> "
     "(new_pos, lines, paths4, paths6): skip PowerShell route records that cannot matter."},
    {"csv_skim", (PyCFunction)(void (*)(void))csv_skim, METH_FASTCALL,
     "csv_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, columns, at, "
     "max_line) -> (new_pos, lines, paths4, paths6): skip generic CSV rows that cannot "
     "matter."},
    {"bird_skim", (PyCFunction)(void (*)(void))bird_skim, METH_FASTCALL,
     "bird_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line) -> "
     "(new_pos, lines, paths4, paths6): skip BIRD routes that cannot matter."},
    {"junos_skim", (PyCFunction)(void (*)(void))junos_skim, METH_FASTCALL,
     "junos_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line) -> "
     "(new_pos, lines, paths4, paths6): skip Junos show route destinations that cannot "
     "matter."},
    {"nxos_skim", (PyCFunction)(void (*)(void))nxos_skim, METH_FASTCALL,
     "nxos_skim(text, pos, hints, octets, keys4, hextets, ranges4, markers, max_line) -> "
     "(new_pos, lines, paths4, paths6): skip NX-OS show ip route destinations that cannot "
     "matter."},
    {"prefix_family", (PyCFunction)prefix_family, METH_O,
     "prefix_family(text) -> 4, 6 or 0: the rule the skimmers count a route's prefix by "
     "(prefixtext.prefix_family; tests tie the two)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_skim",
    "Skips the route lines of a Cisco-style BGP table that cannot matter (see bgptable.py), "
    "and the routes of a JSON table (see jsonstream.py).",
    -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__skim(void)
{
    const char *chars = "sdh*>irSmbxfactLVINel&|#uR=E ";
    for (const char *c = chars; *c; c++)
        status_char[(unsigned char)*c] = 1;
    for (const char *c = "0123456789abcdefABCDEF:./"; *c; c++)
        ipv6_char[(unsigned char)*c] = 1;
    return PyModule_Create(&module);
}
