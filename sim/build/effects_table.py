"""Sizes behind the built-in RUN effects; docs/run-effects.md says where each one comes from.

Numbers only, no logic, so that a reviewer can check them against their sources in one place.
Debian and PyPI figures were measured (2025-11-27); Alpine figures and the ASSUMED_* values are
rounded assumptions, and every effect built from them is marked ``estimated``.
"""

from __future__ import annotations

DEBIAN_RELEASE = "Debian 12"
DEBIAN_BASE_IMAGE = "debian:bookworm"

# The 88 packages of the debian:bookworm image (Priority: required, apt, and what they need):
# installing one of them adds nothing.
DEBIAN_BASE_PACKAGES: frozenset[str] = frozenset({
    "adduser", "apt", "base-files", "base-passwd", "bash", "bsdutils", "coreutils", "dash",
    "debconf", "debian-archive-keyring", "debianutils", "diffutils", "dpkg", "e2fsprogs",
    "findutils", "gcc-12-base", "gpgv", "grep", "gzip", "hostname", "init-system-helpers",
    "libacl1", "libapt-pkg6.0", "libattr1", "libaudit-common", "libaudit1", "libblkid1",
    "libbz2-1.0", "libc-bin", "libc6", "libcap-ng0", "libcap2", "libcom-err2", "libcrypt1",
    "libdb5.3", "libdebconfclient0", "libext2fs2", "libffi8", "libgcc-s1", "libgcrypt20",
    "libgmp10", "libgnutls30", "libgpg-error0", "libhogweed6", "libidn2-0", "liblz4-1",
    "liblzma5", "libmd0", "libmount1", "libnettle8", "libp11-kit0", "libpam-modules",
    "libpam-modules-bin", "libpam-runtime", "libpam0g", "libpcre2-8-0", "libseccomp2",
    "libselinux1", "libsemanage-common", "libsemanage2", "libsepol2", "libsmartcols1",
    "libss2", "libstdc++6", "libsystemd0", "libtasn1-6", "libtinfo6", "libudev1",
    "libunistring2", "libuuid1", "libxxhash0", "libzstd1", "login", "logsave", "mawk", "mount",
    "ncurses-base", "ncurses-bin", "passwd", "perl-base", "sed", "sysvinit-utils", "tar",
    "tzdata", "usr-is-merged", "util-linux", "util-linux-extra", "zlib1g",
})

# `Installed-Size` (KiB) from the Debian 12 amd64 Packages index, for every package that
# installing a key of DEBIAN_DEPENDS can pull in on top of debian:bookworm.
DEBIAN_KIB: dict[str, int] = {
    "bash-completion": 1463,
    "binutils": 109,
    "binutils-common": 15021,
    "binutils-x86-64-linux-gnu": 11428,
    "build-essential": 20,
    "bzip2": 121,
    "ca-certificates": 388,
    "cpp": 30,
    "cpp-12": 33848,
    "curl": 489,
    "dirmngr": 1329,
    "dpkg-dev": 1728,
    "dumb-init": 37,
    "fakeroot": 208,
    "fontconfig-config": 527,
    "fonts-dejavu-core": 2960,
    "g++": 14,
    "g++-12": 36161,
    "gcc": 47,
    "gcc-12": 68236,
    "git": 44890,
    "git-man": 2107,
    "gnupg": 886,
    "gnupg-l10n": 4875,
    "gnupg-utils": 1837,
    "gosu": 2185,
    "gpg": 1582,
    "gpg-agent": 1349,
    "gpg-wks-client": 683,
    "gpg-wks-server": 658,
    "gpgconf": 804,
    "gpgsm": 993,
    "htop": 378,
    "iproute2": 3516,
    "iputils-ping": 121,
    "javascript-common": 33,
    "jq": 111,
    "krb5-locales": 273,
    "less": 313,
    "libabsl20220623": 1913,
    "libalgorithm-diff-perl": 129,
    "libalgorithm-diff-xs-perl": 47,
    "libalgorithm-merge-perl": 43,
    "libaom3": 5546,
    "libasan8": 8017,
    "libassuan0": 117,
    "libatm1": 107,
    "libatomic1": 45,
    "libavif15": 203,
    "libbinutils": 2469,
    "libbpf1": 385,
    "libbrotli1": 783,
    "libbsd0": 202,
    "libc-dev-bin": 94,
    "libc-devtools": 138,
    "libc-l10n": 4350,
    "libc6-dev": 11975,
    "libcap2-bin": 133,
    "libcbor0.8": 98,
    "libcc1-0": 136,
    "libcrypt-dev": 341,
    "libctf-nobfd0": 301,
    "libctf0": 232,
    "libcurl3-gnutls": 828,
    "libcurl4": 840,
    "libdav1d6": 1616,
    "libde265-0": 471,
    "libdeflate0": 161,
    "libdpkg-perl": 1987,
    "libedit2": 258,
    "libelf1": 1036,
    "liberror-perl": 73,
    "libexpat1": 414,
    "libexpat1-dev": 845,
    "libfakeroot": 144,
    "libfido2-1": 241,
    "libfile-fcntllock-perl": 129,
    "libfontconfig1": 579,
    "libfreetype6": 886,
    "libgav1-1": 945,
    "libgcc-12-dev": 14284,
    "libgd3": 449,
    "libgdbm-compat4": 70,
    "libgdbm6": 129,
    "libgomp1": 312,
    "libgpm2": 45,
    "libgprofng0": 3958,
    "libgssapi-krb5-2": 425,
    "libheif1": 659,
    "libisl23": 2302,
    "libitm1": 115,
    "libjansson4": 101,
    "libjbig0": 84,
    "libjpeg62-turbo": 677,
    "libjq1": 366,
    "libjs-jquery": 705,
    "libjs-sphinxdoc": 184,
    "libjs-underscore": 349,
    "libk5crypto3": 261,
    "libkeyutils1": 40,
    "libkrb5-3": 1077,
    "libkrb5support0": 134,
    "libksba8": 316,
    "libldap-2.5-0": 553,
    "libldap-common": 92,
    "liblerc4": 649,
    "liblocale-gettext-perl": 51,
    "liblsan0": 2942,
    "libmnl0": 46,
    "libmpc3": 149,
    "libmpfr6": 1177,
    "libncursesw6": 412,
    "libnghttp2-14": 220,
    "libnl-3-200": 182,
    "libnl-genl-3-200": 58,
    "libnpth0": 50,
    "libnsl-dev": 345,
    "libnsl2": 127,
    "libnuma1": 71,
    "libonig5": 666,
    "libpam-cap": 53,
    "libperl5.36": 28875,
    "libpkgconf3": 101,
    "libpng16-16": 417,
    "libpq-dev": 595,
    "libpq5": 906,
    "libproc2-0": 232,
    "libpsl5": 96,
    "libpython3-dev": 37,
    "libpython3-stdlib": 27,
    "libpython3.11": 7626,
    "libpython3.11-dev": 25766,
    "libpython3.11-minimal": 5232,
    "libpython3.11-stdlib": 8334,
    "libquadmath0": 292,
    "librav1e0": 2664,
    "libreadline8": 475,
    "librtmp1": 146,
    "libsasl2-2": 167,
    "libsasl2-modules": 284,
    "libsasl2-modules-db": 77,
    "libsodium23": 415,
    "libsqlite3-0": 1682,
    "libssh2-1": 353,
    "libssl-dev": 12206,
    "libssl3": 6042,
    "libstdc++-12-dev": 19446,
    "libsvtav1enc1": 6632,
    "libtiff6": 716,
    "libtirpc-common": 35,
    "libtirpc-dev": 717,
    "libtirpc3": 226,
    "libtsan2": 7815,
    "libubsan1": 2652,
    "libwebp7": 544,
    "libx11-6": 1562,
    "libx11-data": 1577,
    "libx265-199": 16203,
    "libxau6": 42,
    "libxcb1": 296,
    "libxdmcp6": 53,
    "libxext6": 132,
    "libxmuu1": 54,
    "libxpm4": 111,
    "libxtables12": 101,
    "libyuv0": 671,
    "linux-libc-dev": 7191,
    "locales": 15847,
    "make": 1592,
    "manpages": 1548,
    "manpages-dev": 3732,
    "media-types": 92,
    "netbase": 36,
    "netcat-openbsd": 108,
    "nginx": 1336,
    "nginx-common": 333,
    "openssh-client": 5801,
    "openssl": 2315,
    "patch": 248,
    "perl": 670,
    "perl-modules-5.36": 17821,
    "pinentry-curses": 140,
    "pkg-config": 29,
    "pkgconf": 65,
    "pkgconf-bin": 81,
    "postgresql-client": 16,
    "postgresql-client-15": 8615,
    "postgresql-client-common": 130,
    "procps": 2091,
    "psmisc": 909,
    "publicsuffix": 339,
    "python3": 81,
    "python3-dev": 155,
    "python3-distutils": 638,
    "python3-lib2to3": 365,
    "python3-minimal": 111,
    "python3-pip": 6678,
    "python3-pip-whl": 1747,
    "python3-pkg-resources": 1052,
    "python3-setuptools": 2534,
    "python3-setuptools-whl": 1316,
    "python3-venv": 6,
    "python3-wheel": 131,
    "python3.11": 651,
    "python3.11-dev": 619,
    "python3.11-minimal": 6743,
    "python3.11-venv": 28,
    "readline-common": 89,
    "rpcsvc-proto": 246,
    "sensible-utils": 56,
    "sudo": 6055,
    "tini": 731,
    "unzip": 380,
    "vim": 3650,
    "vim-common": 245,
    "vim-runtime": 36406,
    "wget": 3521,
    "xauth": 81,
    "xxd": 135,
    "xz-utils": 1226,
    "zip": 616,
    "zlib1g-dev": 1310,
}

# What `apt-get install --no-install-recommends KEY` installs on debian:bookworm: the key and
# its Depends/Pre-Depends closure minus the image's own 88 packages.
DEBIAN_DEPENDS: dict[str, str] = {
    "curl": (
        "curl libbrotli1 libcurl4 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 "
        "libkrb5support0 libldap-2.5-0 libnghttp2-14 libpsl5 librtmp1 libsasl2-2 "
        "libsasl2-modules-db libssh2-1 libssl3"
    ),
    "git": (
        "git git-man libbrotli1 libcurl3-gnutls liberror-perl libexpat1 libgdbm-compat4 "
        "libgdbm6 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 "
        "libldap-2.5-0 libnghttp2-14 libperl5.36 libpsl5 librtmp1 libsasl2-2 "
        "libsasl2-modules-db libssh2-1 libssl3 perl perl-modules-5.36"
    ),
    "ca-certificates": "ca-certificates libssl3 openssl",
    "build-essential": (
        "build-essential binutils binutils-common binutils-x86-64-linux-gnu bzip2 cpp cpp-12 "
        "dpkg-dev g++ g++-12 gcc gcc-12 libasan8 libatomic1 libbinutils libc-dev-bin "
        "libc6-dev libcc1-0 libcrypt-dev libctf-nobfd0 libctf0 libdpkg-perl libgcc-12-dev "
        "libgdbm-compat4 libgdbm6 libgomp1 libgprofng0 libgssapi-krb5-2 libisl23 libitm1 "
        "libjansson4 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 liblsan0 libmpc3 "
        "libmpfr6 libnsl-dev libnsl2 libperl5.36 libquadmath0 libssl3 libstdc++-12-dev "
        "libtirpc-common libtirpc-dev libtirpc3 libtsan2 libubsan1 linux-libc-dev make patch "
        "perl perl-modules-5.36 rpcsvc-proto xz-utils"
    ),
    "python3": (
        "python3 libexpat1 libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 "
        "libkrb5support0 libncursesw6 libnsl2 libpython3-stdlib libpython3.11-minimal "
        "libpython3.11-stdlib libreadline8 libsqlite3-0 libssl3 libtirpc-common libtirpc3 "
        "media-types python3-minimal python3.11 python3.11-minimal readline-common"
    ),
    "gcc": (
        "gcc binutils binutils-common binutils-x86-64-linux-gnu cpp cpp-12 gcc-12 libasan8 "
        "libatomic1 libbinutils libcc1-0 libctf-nobfd0 libctf0 libgcc-12-dev libgomp1 "
        "libgprofng0 libisl23 libitm1 libjansson4 liblsan0 libmpc3 libmpfr6 libquadmath0 "
        "libtsan2 libubsan1"
    ),
    "make": "make",
    "vim": "vim libgpm2 libsodium23 vim-common vim-runtime",
    "wget": "wget libpsl5",
    "unzip": "unzip",
    "libpq-dev": (
        "libpq-dev libgssapi-krb5-2 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 "
        "libldap-2.5-0 libpq5 libsasl2-2 libsasl2-modules-db libssl-dev libssl3"
    ),
    "nginx": (
        "nginx iproute2 libbpf1 libbsd0 libcap2-bin libelf1 libgssapi-krb5-2 libk5crypto3 "
        "libkeyutils1 libkrb5-3 libkrb5support0 libmnl0 libssl3 libtirpc-common libtirpc3 "
        "libxtables12 nginx-common"
    ),
    "python3-pip": (
        "python3-pip ca-certificates libexpat1 libgssapi-krb5-2 libk5crypto3 libkeyutils1 "
        "libkrb5-3 libkrb5support0 libncursesw6 libnsl2 libpython3-stdlib "
        "libpython3.11-minimal libpython3.11-stdlib libreadline8 libsqlite3-0 libssl3 "
        "libtirpc-common libtirpc3 media-types openssl python3 python3-distutils "
        "python3-lib2to3 python3-minimal python3-pkg-resources python3-setuptools "
        "python3-wheel python3.11 python3.11-minimal readline-common"
    ),
    "python3-venv": (
        "python3-venv ca-certificates libexpat1 libgssapi-krb5-2 libk5crypto3 libkeyutils1 "
        "libkrb5-3 libkrb5support0 libncursesw6 libnsl2 libpython3-stdlib "
        "libpython3.11-minimal libpython3.11-stdlib libreadline8 libsqlite3-0 libssl3 "
        "libtirpc-common libtirpc3 media-types openssl python3 python3-distutils "
        "python3-lib2to3 python3-minimal python3-pip-whl python3-setuptools-whl python3.11 "
        "python3.11-minimal python3.11-venv readline-common"
    ),
    "python3-dev": (
        "python3-dev libc-dev-bin libc6-dev libcrypt-dev libexpat1 libexpat1-dev "
        "libgssapi-krb5-2 libjs-jquery libjs-sphinxdoc libjs-underscore libk5crypto3 "
        "libkeyutils1 libkrb5-3 libkrb5support0 libncursesw6 libnsl-dev libnsl2 "
        "libpython3-dev libpython3-stdlib libpython3.11 libpython3.11-dev "
        "libpython3.11-minimal libpython3.11-stdlib libreadline8 libsqlite3-0 libssl3 "
        "libtirpc-common libtirpc-dev libtirpc3 linux-libc-dev media-types python3 "
        "python3-distutils python3-lib2to3 python3-minimal python3.11 python3.11-dev "
        "python3.11-minimal readline-common rpcsvc-proto zlib1g-dev"
    ),
    "openssh-client": (
        "openssh-client libbsd0 libcbor0.8 libedit2 libfido2-1 libgssapi-krb5-2 libk5crypto3 "
        "libkeyutils1 libkrb5-3 libkrb5support0 libssl3"
    ),
    "gnupg": (
        "gnupg dirmngr gnupg-l10n gnupg-utils gpg gpg-agent gpg-wks-client gpg-wks-server "
        "gpgconf gpgsm libassuan0 libksba8 libldap-2.5-0 libncursesw6 libnpth0 libreadline8 "
        "libsasl2-2 libsasl2-modules-db libsqlite3-0 pinentry-curses readline-common"
    ),
    "procps": "procps libncursesw6 libproc2-0",
    "jq": "jq libjq1 libonig5",
    "postgresql-client": (
        "postgresql-client libgdbm-compat4 libgdbm6 libgssapi-krb5-2 libk5crypto3 "
        "libkeyutils1 libkrb5-3 libkrb5support0 libldap-2.5-0 libperl5.36 libpq5 libreadline8 "
        "libsasl2-2 libsasl2-modules-db libssl3 netbase perl perl-modules-5.36 "
        "postgresql-client-15 postgresql-client-common readline-common sensible-utils"
    ),
    "libssl-dev": "libssl-dev libssl3",
    "pkg-config": "pkg-config libpkgconf3 pkgconf pkgconf-bin",
    "sudo": "sudo",
    "less": "less",
    "xz-utils": "xz-utils",
    "zip": "zip",
    "iputils-ping": "iputils-ping libcap2-bin",
    "netcat-openbsd": "netcat-openbsd libbsd0",
    "tini": "tini",
    "gosu": "gosu",
    "locales": "locales libc-l10n",
    "dumb-init": "dumb-init",
    "bash-completion": "bash-completion",
    "htop": "htop libncursesw6 libnl-3-200 libnl-genl-3-200",
}

# What Recommends add to that (apt-get's default) when the closure also follows Recommends.
DEBIAN_RECOMMENDS: dict[str, str] = {
    "curl": "ca-certificates krb5-locales libldap-common libsasl2-modules openssl publicsuffix",
    "git": (
        "ca-certificates krb5-locales less libbsd0 libcbor0.8 libedit2 libfido2-1 "
        "libldap-common libsasl2-modules libx11-6 libx11-data libxau6 libxcb1 libxdmcp6 "
        "libxext6 libxmuu1 netbase openssh-client openssl patch publicsuffix xauth"
    ),
    "build-essential": (
        "dirmngr fakeroot fontconfig-config fonts-dejavu-core gnupg gnupg-l10n gnupg-utils "
        "gpg gpg-agent gpg-wks-client gpg-wks-server gpgconf gpgsm krb5-locales "
        "libabsl20220623 libalgorithm-diff-perl libalgorithm-diff-xs-perl "
        "libalgorithm-merge-perl libaom3 libassuan0 libavif15 libbrotli1 libbsd0 "
        "libc-devtools libdav1d6 libde265-0 libdeflate0 libexpat1 libfakeroot "
        "libfile-fcntllock-perl libfontconfig1 libfreetype6 libgav1-1 libgd3 libgpm2 libheif1 "
        "libjbig0 libjpeg62-turbo libksba8 libldap-2.5-0 libldap-common liblerc4 "
        "liblocale-gettext-perl libncursesw6 libnpth0 libnuma1 libpng16-16 librav1e0 "
        "libreadline8 libsasl2-2 libsasl2-modules libsasl2-modules-db libsqlite3-0 "
        "libsvtav1enc1 libtiff6 libwebp7 libx11-6 libx11-data libx265-199 libxau6 libxcb1 "
        "libxdmcp6 libxpm4 libyuv0 manpages manpages-dev netbase pinentry-curses "
        "readline-common"
    ),
    "python3": "ca-certificates krb5-locales libgpm2 openssl",
    "gcc": (
        "fontconfig-config fonts-dejavu-core krb5-locales libabsl20220623 libaom3 libavif15 "
        "libbrotli1 libbsd0 libc-dev-bin libc-devtools libc6-dev libcrypt-dev libdav1d6 "
        "libde265-0 libdeflate0 libexpat1 libfontconfig1 libfreetype6 libgav1-1 libgd3 "
        "libgssapi-krb5-2 libheif1 libjbig0 libjpeg62-turbo libk5crypto3 libkeyutils1 "
        "libkrb5-3 libkrb5support0 liblerc4 libnsl-dev libnsl2 libnuma1 libpng16-16 librav1e0 "
        "libssl3 libsvtav1enc1 libtiff6 libtirpc-common libtirpc-dev libtirpc3 libwebp7 "
        "libx11-6 libx11-data libx265-199 libxau6 libxcb1 libxdmcp6 libxpm4 libyuv0 "
        "linux-libc-dev manpages manpages-dev rpcsvc-proto"
    ),
    "vim": "xxd",
    "wget": "ca-certificates libssl3 openssl publicsuffix",
    "libpq-dev": "krb5-locales libldap-common libsasl2-modules",
    "nginx": "krb5-locales libatm1 libpam-cap",
    "python3-pip": (
        "binutils binutils-common binutils-x86-64-linux-gnu build-essential bzip2 cpp cpp-12 "
        "dirmngr dpkg-dev fakeroot fontconfig-config fonts-dejavu-core g++ g++-12 gcc gcc-12 "
        "gnupg gnupg-l10n gnupg-utils gpg gpg-agent gpg-wks-client gpg-wks-server gpgconf "
        "gpgsm javascript-common krb5-locales libabsl20220623 libalgorithm-diff-perl "
        "libalgorithm-diff-xs-perl libalgorithm-merge-perl libaom3 libasan8 libassuan0 "
        "libatomic1 libavif15 libbinutils libbrotli1 libbsd0 libc-dev-bin libc-devtools "
        "libc6-dev libcc1-0 libcrypt-dev libctf-nobfd0 libctf0 libdav1d6 libde265-0 "
        "libdeflate0 libdpkg-perl libexpat1-dev libfakeroot libfile-fcntllock-perl "
        "libfontconfig1 libfreetype6 libgav1-1 libgcc-12-dev libgd3 libgdbm-compat4 libgdbm6 "
        "libgomp1 libgpm2 libgprofng0 libheif1 libisl23 libitm1 libjansson4 libjbig0 "
        "libjpeg62-turbo libjs-jquery libjs-sphinxdoc libjs-underscore libksba8 libldap-2.5-0 "
        "libldap-common liblerc4 liblocale-gettext-perl liblsan0 libmpc3 libmpfr6 libnpth0 "
        "libnsl-dev libnuma1 libperl5.36 libpng16-16 libpython3-dev libpython3.11 "
        "libpython3.11-dev libquadmath0 librav1e0 libsasl2-2 libsasl2-modules "
        "libsasl2-modules-db libstdc++-12-dev libsvtav1enc1 libtiff6 libtirpc-dev libtsan2 "
        "libubsan1 libwebp7 libx11-6 libx11-data libx265-199 libxau6 libxcb1 libxdmcp6 "
        "libxpm4 libyuv0 linux-libc-dev make manpages manpages-dev netbase patch perl "
        "perl-modules-5.36 pinentry-curses python3-dev python3.11-dev rpcsvc-proto xz-utils "
        "zlib1g-dev"
    ),
    "python3-venv": "krb5-locales libgpm2",
    "python3-dev": (
        "ca-certificates fontconfig-config fonts-dejavu-core javascript-common krb5-locales "
        "libabsl20220623 libaom3 libavif15 libbrotli1 libbsd0 libc-devtools libdav1d6 "
        "libde265-0 libdeflate0 libfontconfig1 libfreetype6 libgav1-1 libgd3 libgpm2 libheif1 "
        "libjbig0 libjpeg62-turbo liblerc4 libnuma1 libpng16-16 librav1e0 libsvtav1enc1 "
        "libtiff6 libwebp7 libx11-6 libx11-data libx265-199 libxau6 libxcb1 libxdmcp6 libxpm4 "
        "libyuv0 manpages manpages-dev openssl"
    ),
    "openssh-client": (
        "krb5-locales libx11-6 libx11-data libxau6 libxcb1 libxdmcp6 libxext6 libxmuu1 xauth"
    ),
    "gnupg": "libgpm2 libldap-common libsasl2-modules libssl3",
    "procps": "libgpm2 psmisc",
    "postgresql-client": "krb5-locales libldap-common libsasl2-modules",
    "zip": "unzip",
    "iputils-ping": "libpam-cap",
    "htop": "libgpm2",
}

# /var/lib/apt/lists after `apt-get update` in debian:bookworm (indexes kept lz4-compressed by
# the image's docker-gzip-indexes apt setting), measured file by file.
APT_LISTS: tuple[tuple[str, int], ...] = (
    ("deb.debian.org_debian-security_dists_bookworm-security_InRelease",
     34770),
    ("deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4",
     768935),
    ("deb.debian.org_debian_dists_bookworm-updates_InRelease",
     55403),
    ("deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.lz4",
     11648),
    ("deb.debian.org_debian_dists_bookworm_InRelease",
     151075),
    ("deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
     18840233),
)

# Alpine: approximate installed size in MB of the package plus the dependencies it pulls onto
# alpine:3.20, rounded. NOT measured (Alpine's index is out of reach here): see the doc.
ALPINE_MB: dict[str, float] = {
    "bash": 2.0,
    "build-base": 190.0,
    "ca-certificates": 0.7,
    "curl": 4.5,
    "gcc": 130.0,
    "git": 19.0,
    "gnupg": 10.0,
    "go": 240.0,
    "jq": 0.6,
    "libffi-dev": 0.2,
    "libpq-dev": 8.0,
    "make": 0.3,
    "musl-dev": 4.0,
    "nginx": 2.5,
    "nodejs": 55.0,
    "npm": 10.0,
    "openssh-client": 4.0,
    "openssl": 1.0,
    "openssl-dev": 3.5,
    "py3-pip": 12.0,
    "python3": 45.0,
    "su-exec": 0.02,
    "tini": 0.05,
    "tzdata": 2.0,
    "unzip": 0.4,
    "vim": 32.0,
    "wget": 2.5,
    "zip": 0.5,
}

# CPython 3.11 x86_64, installed with pip (byte-compiled, as pip does by default): bytes on
# disk from each distribution's RECORD, the wheel's size (what pip's cache keeps), version.
PIP_DISTS: dict[str, tuple[int, int, str]] = {
    "annotated-doc": (11894, 5286, "0.0.7"),
    "annotated-types": (71493, 13427, "0.8.0"),
    "anyio": (1378468, 134521, "4.16.0"),
    "asgiref": (176991, 27593, "3.13.0"),
    "blinker": (51986, 8458, "1.9.0"),
    "certifi": (248419, 134047, "2026.10.19.post1"),
    "charset-normalizer": (929450, 263382, "3.5.3"),
    "click": (1000831, 126163, "8.5.1"),
    "django": (31039557, 8319631, "5.2.19"),
    "fastapi": (1714142, 159475, "0.165.0"),
    "flask": (748281, 103424, "3.1.3"),
    "gunicorn": (2167551, 263696, "27.0.1"),
    "h11": (195521, 37515, "0.16.0"),
    "idna": (525050, 69583, "3.20"),
    "itsdangerous": (100409, 16234, "2.2.0"),
    "jinja2": (1214436, 134899, "3.1.6"),
    "markupsafe": (93884, 22961, "3.0.4"),
    "numpy": (71394044, 16918164, "2.4.6"),
    "opentelemetry-api": (437055, 60335, "1.45.2"),
    "packaging": (1113285, 140049, "26.4"),
    "pandas": (80695300, 12356904, "3.1.1"),
    "pip": (12094375, 1950951, "26.3"),
    "psycopg2-binary": (11916574, 4281172, "2.9.13"),
    "pydantic": (4129695, 494865, "2.14.4"),
    "pydantic-core": (5568646, 2257712, "2.50.5"),
    "python-dateutil": (685135, 92853, "4.0.0"),
    "requests": (501246, 73075, "2.34.2"),
    "setuptools": (6189567, 876263, "84.2.1"),
    "sqlparse": (373412, 51200, "0.6.1"),
    "starlette": (699477, 80571, "1.10.0"),
    "typing-extensions": (365579, 45571, "4.16.0"),
    "typing-inspection": (92896, 14874, "0.4.5"),
    "tzdata": (588586, 348210, "2026.6"),
    "urllib3": (962985, 135717, "2.8.0"),
    "uvicorn": (704285, 87427, "0.54.0"),
    "werkzeug": (1777051, 228700, "3.1.9"),
    "wheel": (226853, 33320, "0.48.0"),
}

# The distributions `pip install KEY` installs into an empty site-packages.
PIP_REQUIRES: dict[str, str] = {
    "flask": "flask blinker click itsdangerous jinja2 markupsafe werkzeug",
    "django": "django asgiref sqlparse",
    "requests": "requests certifi charset-normalizer idna urllib3",
    "numpy": "numpy",
    "pandas": "pandas numpy python-dateutil tzdata",
    "fastapi": (
        "fastapi annotated-doc annotated-types anyio idna opentelemetry-api pydantic "
        "pydantic-core starlette typing-extensions typing-inspection"
    ),
    "uvicorn": "uvicorn click h11",
    "gunicorn": "gunicorn",
    "psycopg2-binary": "psycopg2-binary",
    "pip": "pip",
    "setuptools": "setuptools",
    "wheel": "wheel packaging",
}

# Assumptions, each explained in docs/run-effects.md.
ASSUMED_INSTALL_RATE = 20_000_000  # bytes/s a package manager unpacks and writes
ASSUMED_INSTALL_OVERHEAD = 2.0  # s of resolving, fetching metadata and running triggers
ASSUMED_NODE_RATE = 5_000_000  # bytes/s for node_modules: tens of thousands of small files
ASSUMED_APT_UPDATE_SECONDS = 6.0
ASSUMED_DEBIAN_PACKAGE = 10_000_000  # unknown Debian package, dependencies included
ASSUMED_ALPINE_PACKAGE = 3_000_000  # unknown Alpine package, dependencies included
ASSUMED_APK_INDEX = 2_500_000  # /var/cache/apk after fetching the main and community indexes
ASSUMED_PIP_PACKAGE = 10_000_000  # unknown PyPI requirement, dependencies included
ASSUMED_WHEEL_RATIO = 0.21  # wheel bytes / installed bytes over the measured distributions
ASSUMED_REQUIREMENTS = 10  # requirements in a `pip install -r FILE` nobody described
ASSUMED_PYTHON = "3.12"  # site-packages version when the command does not name one
ASSUMED_NODE_MODULES = 80_000_000  # `npm ci` / `npm install` / `yarn install`
ASSUMED_NODE_PROD_SHARE = 0.5  # share of node_modules left with --omit=dev / --production
ASSUMED_NPM_PACKAGE = 5_000_000  # `npm install NAME`, dependencies included
ASSUMED_WEB_BUNDLE = 5_000_000  # `npm run build` output in dist/
ASSUMED_WEB_BUILD_SECONDS = 20.0
ASSUMED_GO_BINARY = 12_000_000
ASSUMED_GO_BUILD_SECONDS = 30.0
ASSUMED_GO_MODULES = 150_000_000  # /go/pkg/mod after `go mod download`
ASSUMED_CARGO_RELEASE_TARGET = 250_000_000
ASSUMED_CARGO_DEBUG_TARGET = 500_000_000
ASSUMED_CARGO_RELEASE_SECONDS = 120.0
ASSUMED_CARGO_DEBUG_SECONDS = 60.0
ASSUMED_MAKE_OUTPUT = 5_000_000
ASSUMED_MAKE_SECONDS = 20.0
ASSUMED_MAVEN_TARGET = 20_000_000
ASSUMED_MAVEN_REPOSITORY = 150_000_000  # /root/.m2/repository
ASSUMED_MAVEN_SECONDS = 60.0
ASSUMED_GRADLE_BUILD = 30_000_000
ASSUMED_GRADLE_HOME = 200_000_000  # /root/.gradle: wrapper distribution and caches
ASSUMED_GRADLE_SECONDS = 90.0
ASSUMED_DOWNLOAD = 10_000_000  # curl / wget of a file nobody described
ASSUMED_UNPACK_RATIO = 2.5  # unpacked / archive bytes, as Layer.from_files compresses

# Account files after one more line (about debian:bookworm's sizes) and Debian's /etc/skel.
ACCOUNT_FILES: dict[str, int] = {
    "/etc/passwd": 1_000,
    "/etc/shadow": 600,
    "/etc/group": 500,
    "/etc/gshadow": 400,
}
DEBIAN_SKEL: tuple[tuple[str, int], ...] = (
    (".bashrc", 3526), (".profile", 807), (".bash_logout", 220),
)
