/*
 * A stand-in for a vendor's SSCardDriver library (the MOHRSS unified reader interface), for
 * Hall Counter's tests. The tests build it with the C compiler into a temporary folder and
 * load it through devices/card/sscard.py exactly as a vendor's library would be loaded.
 *
 * Like a real driver it talks to the card itself, here through PC/SC (pcscd + vpcd + the
 * project's card emulator), and hides APDUs behind two calls:
 *
 *   int iReadCardBas(int iType, char *pOutInfo)
 *       0 and, in pOutInfo (GBK text), 11 fields each followed by '|':
 *       region | ID number | card number | card identification code | name |
 *       ATR historical bytes (hex) | spec version | issue date | expiry date |
 *       terminal number | device number |
 *       Fields a third-generation card protects (this stand-in holds no PSAM) are empty.
 *   int iVerifyPIN(int iType, char *pOutInfo)
 *       the PIN is keyed on the reader's keypad: here the first line of the file named by
 *       HC_SSCARD_KEYPAD ("123456", or "timeout" / "cancel" for what the keypad can report).
 *
 * Errors are negative: -1 no reader / PC/SC unavailable, -2 no card (or the card left),
 * -3 the card or the reader failed otherwise; a card's refusal is its status word, negated
 * (-0x63C2 wrong PIN with 2 tries left, -0x6983 PIN blocked, -0x6A82 not a social security
 * card, -0x6400 / -0x6401 keypad timeout / cancelled). pOutInfo then holds a short message.
 *
 * HC_SSCARD_READER names the PC/SC reader (default: the first one). pOutInfo must hold at
 * least 1024 bytes. Not thread-safe, like most vendor drivers: call it from one thread.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <PCSC/winscard.h>

#define OUT_MAX 1024
#define ERR_NO_READER (-1)
#define ERR_NO_CARD (-2)
#define ERR_FAILED (-3)

typedef struct {
    SCARDCONTEXT context;
    SCARDHANDLE card;
    DWORD protocol;
    unsigned char atr[MAX_ATR_SIZE];
    DWORD atr_len;
} session_t;

static const unsigned char SELECT_SSSE[] = {
    0x00, 0xA4, 0x04, 0x00, 0x0F, 's', 'x', '1', '.', 's', 'h', '.',
    0xC9, 0xE7, 0xBB, 0xE1, 0xB1, 0xA3, 0xD5, 0xCF};  /* "sx1.sh." + GBK 社会保障 */
static const unsigned char SELECT_MF[] = {0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00};

static int say(char *out, int code, const char *message)
{
    if (out != NULL)
        snprintf(out, OUT_MAX, "%s", message);
    return code;
}

static int card_gone(LONG rv)
{
    return rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD ||
           rv == SCARD_E_NOT_TRANSACTED || rv == SCARD_W_RESET_CARD ||
           rv == SCARD_W_UNPOWERED_CARD || rv == SCARD_E_READER_UNAVAILABLE;
}

static int open_session(session_t *s, char *out)
{
    char names[4096];
    DWORD names_len = sizeof names;
    const char *reader = getenv("HC_SSCARD_READER");
    LONG rv;
    int attempt;

    memset(s, 0, sizeof *s);
    if (SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &s->context) != SCARD_S_SUCCESS)
        return say(out, ERR_NO_READER, "PC/SC service not available");
    if (reader == NULL || reader[0] == '\0') {
        rv = SCardListReaders(s->context, NULL, names, &names_len);
        if (rv != SCARD_S_SUCCESS || names_len < 2) {
            SCardReleaseContext(s->context);
            return say(out, ERR_NO_READER, "no reader");
        }
        reader = names;
    }
    for (attempt = 0; attempt < 20; attempt++) {
        rv = SCardConnect(s->context, reader, SCARD_SHARE_EXCLUSIVE,
                          SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &s->card, &s->protocol);
        if (rv != SCARD_E_SHARING_VIOLATION)
            break;
        {
            struct timespec pause = {0, 100 * 1000 * 1000}; /* another program holds it */
            nanosleep(&pause, NULL);
        }
    }
    if (rv != SCARD_S_SUCCESS) {
        SCardReleaseContext(s->context);
        if (rv == SCARD_E_UNKNOWN_READER)
            return say(out, ERR_NO_READER, "reader not found");
        if (card_gone(rv))
            return say(out, ERR_NO_CARD, "no card");
        return say(out, ERR_FAILED, "cannot connect to the card");
    }
    {
        char name[256];
        DWORD name_len = sizeof name, state, protocol;
        s->atr_len = sizeof s->atr;
        if (SCardStatus(s->card, name, &name_len, &state, &protocol, s->atr, &s->atr_len) !=
            SCARD_S_SUCCESS)
            s->atr_len = 0;
    }
    return 0;
}

static void close_session(session_t *s, DWORD disposition)
{
    SCardDisconnect(s->card, disposition);
    SCardReleaseContext(s->context);
}

/* One command; T=0's 61xx (GET RESPONSE) and 6Cxx (resend with Le) handled here, as drivers
 * do. Returns the status word, or a negative error. */
static int transmit(session_t *s, const unsigned char *command, DWORD command_len,
                    unsigned char *data, DWORD *data_len)
{
    unsigned char cmd[261], buf[258];
    DWORD n, total = 0, capacity = *data_len;
    const SCARD_IO_REQUEST *pci = s->protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1 : SCARD_PCI_T0;
    LONG rv;
    int sw, rounds = 0;

    memcpy(cmd, command, command_len);
    for (;;) {
        n = sizeof buf;
        rv = SCardTransmit(s->card, pci, cmd, command_len, NULL, buf, &n);
        if (rv != SCARD_S_SUCCESS)
            return card_gone(rv) ? ERR_NO_CARD : ERR_FAILED;
        if (n < 2)
            return ERR_NO_CARD;
        sw = (buf[n - 2] << 8) | buf[n - 1];
        if ((sw >> 8) == 0x6C && command_len == 5 && rounds++ < 2) {
            cmd[4] = sw & 0xFF;
            continue;
        }
        break;
    }
    for (;;) {
        if (total + n - 2 > capacity)
            return ERR_FAILED;
        memcpy(data + total, buf, n - 2);
        total += n - 2;
        if ((sw >> 8) != 0x61 || rounds++ > 64)
            break;
        {
            unsigned char get_response[5] = {0x00, 0xC0, 0x00, 0x00, (unsigned char)(sw & 0xFF)};
            n = sizeof buf;
            rv = SCardTransmit(s->card, pci, get_response, 5, NULL, buf, &n);
            if (rv != SCARD_S_SUCCESS)
                return card_gone(rv) ? ERR_NO_CARD : ERR_FAILED;
            if (n < 2)
                return ERR_NO_CARD;
            sw = (buf[n - 2] << 8) | buf[n - 1];
        }
    }
    *data_len = total;
    return sw;
}

static int select_ssse(session_t *s)
{
    unsigned char data[258];
    DWORD len = sizeof data;
    int sw = transmit(s, SELECT_SSSE, sizeof SELECT_SSSE, data, &len);
    if (sw == 0x6A82) {
        len = sizeof data;
        sw = transmit(s, SELECT_MF, sizeof SELECT_MF, data, &len);
    }
    if ((sw >> 8) == 0x61)
        sw = 0x9000;
    return sw;
}

/* READ RECORD by tag; the value (without tag and length) in value/value_len. Returns the
 * status word (9000 with a well-formed record) or a negative error. */
static int read_item(session_t *s, int sfi, int tag, int length, unsigned char *value,
                     DWORD *value_len)
{
    unsigned char command[5] = {0x00, 0xB2, (unsigned char)tag, (unsigned char)(sfi << 3),
                                (unsigned char)(length + 2)};
    unsigned char data[258];
    DWORD len = sizeof data;
    int sw = transmit(s, command, sizeof command, data, &len);
    if (sw != 0x9000)
        return sw;
    if (len < 2 || data[0] != tag || data[1] != len - 2)
        return ERR_FAILED;
    memcpy(value, data + 2, len - 2);
    *value_len = len - 2;
    return sw;
}

static void to_hex(const unsigned char *value, DWORD len, char *out)
{
    static const char digits[] = "0123456789ABCDEF";
    DWORD i;
    for (i = 0; i < len; i++) {
        out[2 * i] = digits[value[i] >> 4];
        out[2 * i + 1] = digits[value[i] & 0x0F];
    }
    out[2 * len] = '\0';
}

/* Packed BCD with F padding to digits (stops at the first F nibble). */
static void bcd_digits(const unsigned char *value, DWORD len, char *out)
{
    DWORD i, k = 0;
    for (i = 0; i < 2 * len; i++) {
        int nibble = (i % 2 == 0) ? value[i / 2] >> 4 : value[i / 2] & 0x0F;
        if (nibble == 0x0F)
            break;
        out[k++] = (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
    }
    out[k] = '\0';
}

/* Text field: the bytes up to the first 00 (GBK or ASCII, passed on as they are). */
static void text_field(const unsigned char *value, DWORD len, char *out)
{
    DWORD i;
    for (i = 0; i < len && value[i] != 0; i++)
        out[i] = (char)value[i];
    out[i] = '\0';
}

/* The historical bytes of an ATR (ISO 7816-3: skip TS, T0 and the interface bytes). */
static void historical_bytes(const unsigned char *atr, DWORD len, char *out)
{
    DWORD i = 1, count;
    int y;
    out[0] = '\0';
    if (len < 2)
        return;
    count = atr[1] & 0x0F;
    y = atr[1] >> 4;
    i = 2;
    for (;;) {
        int next = 0;
        if (y & 1) i++;
        if (y & 2) i++;
        if (y & 4) i++;
        if (y & 8) {
            if (i >= len)
                return;
            next = atr[i] >> 4;
            i++;
        }
        if (!(y & 8))
            break;
        y = next;
    }
    if (i + count > len)
        return;
    to_hex(atr + i, count, out);
}

typedef struct {
    int sfi, tag, length;
    char kind; /* h hex, a text, b BCD digits */
    char text[80];
} item_t;

int iReadCardBas(int iType, char *pOutInfo)
{
    item_t items[] = {
        {5, 0x01, 16, 'h', ""}, {5, 0x03, 4, 'a', ""},  {5, 0x07, 9, 'a', ""},
        {5, 0x05, 4, 'b', ""},  {5, 0x06, 4, 'b', ""},  {6, 0x08, 18, 'a', ""},
        {6, 0x09, 30, 'a', ""}, {6, 0x4E, 20, 'a', ""},
    };
    size_t count = sizeof items / sizeof items[0], i;
    session_t s;
    char atr_hist[80], region[7];
    int rc, sw;

    if (pOutInfo == NULL || iType < 1 || iType > 4)
        return say(pOutInfo, ERR_FAILED, "bad arguments");
    rc = open_session(&s, pOutInfo);
    if (rc != 0)
        return rc;
    sw = select_ssse(&s);
    if (sw != 0x9000) {
        close_session(&s, SCARD_LEAVE_CARD);
        return say(pOutInfo, sw < 0 ? sw : -sw, "not a social security card");
    }
    for (i = 0; i < count; i++) {
        unsigned char value[128];
        DWORD len = sizeof value;
        sw = read_item(&s, items[i].sfi, items[i].tag, items[i].length, value, &len);
        if (sw == 0x6982 || (sw == 0x6A83 && items[i].tag == 0x4E))
            continue; /* protected (no PSAM here) or no name extension: empty */
        if (sw != 0x9000) {
            close_session(&s, SCARD_LEAVE_CARD);
            return say(pOutInfo, sw < 0 ? sw : -sw, "cannot read the card");
        }
        if (items[i].kind == 'h')
            to_hex(value, len, items[i].text);
        else if (items[i].kind == 'b')
            bcd_digits(value, len, items[i].text);
        else
            text_field(value, len, items[i].text);
    }
    historical_bytes(s.atr, s.atr_len, atr_hist);
    close_session(&s, SCARD_LEAVE_CARD);

    snprintf(region, sizeof region, "%.6s", items[0].text);
    snprintf(pOutInfo, OUT_MAX, "%s|%s|%s|%s|%s%s|%s|%s|%s|%s|%s|%s|", region, items[5].text,
             items[2].text, items[0].text, items[6].text, items[7].text, atr_hist, items[1].text,
             items[3].text, items[4].text, "HCSTANDIN01", "0001");
    return 0;
}

int iVerifyPIN(int iType, char *pOutInfo)
{
    unsigned char verify[8] = {0x00, 0x20, 0x00, 0x00, 0x03, 0xFF, 0xFF, 0xFF};
    unsigned char data[258];
    DWORD len = sizeof data;
    const char *path = getenv("HC_SSCARD_KEYPAD");
    char keys[64] = "";
    FILE *keypad;
    session_t s;
    size_t i, n;
    int rc, sw;

    if (pOutInfo == NULL || iType < 1 || iType > 4)
        return say(pOutInfo, ERR_FAILED, "bad arguments");
    /* The citizen keys the PIN on the reader: here, the keypad file. */
    keypad = path != NULL ? fopen(path, "r") : NULL;
    if (keypad == NULL)
        return say(pOutInfo, -0x6400, "keypad timeout");
    if (fgets(keys, sizeof keys, keypad) == NULL)
        keys[0] = '\0';
    fclose(keypad);
    n = strcspn(keys, "\r\n");
    keys[n] = '\0';
    if (strcmp(keys, "timeout") == 0 || n == 0)
        return say(pOutInfo, -0x6400, "keypad timeout");
    if (strcmp(keys, "cancel") == 0)
        return say(pOutInfo, -0x6401, "keypad cancelled");
    if (n != 6)
        return say(pOutInfo, -0x6403, "PIN length");
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)keys[i]))
            return say(pOutInfo, -0x6403, "PIN length");
        verify[5 + i / 2] = (unsigned char)((i % 2 == 0)
            ? ((keys[i] - '0') << 4) | (verify[5 + i / 2] & 0x0F)
            : (verify[5 + i / 2] & 0xF0) | (keys[i] - '0'));
    }

    rc = open_session(&s, pOutInfo);
    if (rc != 0)
        return rc;
    sw = select_ssse(&s);
    if (sw == 0x9000)
        sw = transmit(&s, verify, sizeof verify, data, &len);
    memset(verify, 0, sizeof verify);
    if (sw == ERR_NO_CARD) {
        close_session(&s, SCARD_LEAVE_CARD);
        return say(pOutInfo, ERR_NO_CARD, "card removed");
    }
    close_session(&s, SCARD_RESET_CARD);
    if (sw == 0x9000)
        return say(pOutInfo, 0, "PIN correct");
    return say(pOutInfo, sw < 0 ? sw : -sw, "PIN not verified");
}
