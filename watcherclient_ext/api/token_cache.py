"""A token kept between calls, for clouds.yaml's ``cache: {auth: true}``.

As openstacksdk does with that setting: keystoneauth1's auth state of the
plugin (the token and what Keystone said of it: expiry, user, project,
roles, catalog) is stored under the plugin's cache id, a hash of every
setting that identifies the login (auth URL, plugin, user, project,
domains, the secret itself), so that another login never finds it.  It
goes in the keyring, service ``openstacksdk``, when the ``keyring`` package
is installed and has a backend (``openstack`` shares those entries);
otherwise in a file of mode 0600 in a directory of mode 0700 under the
user's cache directory, and in no file or directory anyone else could
read or replace: one of those is not used, with a warning.

keystoneauth1 renews a token that ends within two minutes and, on a 401,
asks for a new one and sends the request again: :meth:`TokenCache.save`
stores what the plugin holds at the end, and forgets the entry when the
call ended refused or with no token.
"""

import hashlib
import logging
import os
import stat

from watcherclient_ext import secrets

LOG = logging.getLogger(__name__)

#: openstacksdk's keyring service name.
KEYRING_SERVICE = "openstacksdk"
#: The largest state read back: a catalog of many services is well below.
MAX_STATE = 4 * 2 ** 20


def directory():
    """Where the tokens are kept without a keyring."""
    import platformdirs

    return os.path.join(platformdirs.user_cache_dir("watcher-ext"), "auth")


class TokenCache:
    """The cached auth state of one plugin."""

    def __init__(self, plugin, store, cache_id, loaded):
        self._plugin = plugin
        self._store = store
        self._cache_id = cache_id
        self._loaded = loaded

    @classmethod
    def load(cls, plugin):
        """Give ``plugin`` its cached token; None if it has no cache id."""
        cache_id = plugin.get_cache_id()
        if not cache_id:
            return None
        store = _store()
        state = store.get(cache_id)
        if state:
            try:
                plugin.set_auth_state(state)
                secrets.remember(plugin.auth_ref.auth_token)
            except (ValueError, KeyError, TypeError, AttributeError):
                plugin.set_auth_state(None)  # unreadable: as if none
                state = None
            else:
                LOG.debug("Reusing the token cached in %s", store)
        return cls(plugin, store, cache_id, state)

    def save(self, refused=False):
        """Store the token the plugin now holds, or forget the entry when
        the call was ``refused`` (HTTP 401) or ended with none."""
        state = None if refused else self._plugin.get_auth_state()
        if state == self._loaded:
            return
        if state:
            self._store.set(self._cache_id, state)
        elif self._loaded or refused:
            self._store.delete(self._cache_id)


def _store():
    keyring = _keyring()
    if keyring is not None:
        return KeyringStore(keyring)
    return FileStore(directory())


def _keyring():
    """The keyring module, if installed with a backend that can store."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    if isinstance(keyring.get_keyring(), fail.Keyring):
        return None
    return keyring


class KeyringStore:
    def __init__(self, keyring):
        self._keyring = keyring

    def __str__(self):
        return "the keyring"

    def get(self, cache_id):
        try:
            return self._keyring.get_password(KEYRING_SERVICE, cache_id)
        except Exception as exc:  # any backend's failure: no token
            LOG.debug("Cannot read the keyring: %s", type(exc).__name__)
            return None

    def set(self, cache_id, state):
        try:
            self._keyring.set_password(KEYRING_SERVICE, cache_id, state)
        except Exception as exc:  # any backend's failure: not kept
            LOG.debug("Cannot write the keyring: %s", type(exc).__name__)

    def delete(self, cache_id):
        try:
            self._keyring.delete_password(KEYRING_SERVICE, cache_id)
        except Exception as exc:  # nothing stored, or it cannot say
            LOG.debug("Cannot delete from the keyring: %s",
                      type(exc).__name__)


class FileStore:
    """One file per login, named by a hash of its cache id."""

    def __init__(self, path):
        self.path = path

    def __str__(self):
        return self.path

    def _file(self, cache_id):
        return os.path.join(
            self.path, hashlib.sha256(cache_id.encode()).hexdigest())

    def get(self, cache_id):
        if not self._private_directory(create=False):
            return None
        try:
            fd = os.open(self._file(cache_id), os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            return None
        except OSError as exc:
            LOG.warning("Token cache %s not read: %s", self.path,
                        exc.strerror)
            return None
        with os.fdopen(fd, "rb") as cached:
            if not _private(os.fstat(cached.fileno()), stat.S_ISREG):
                LOG.warning("Token cache file %s not used: others could "
                            "read or change it", self._file(cache_id))
                return None
            state = cached.read(MAX_STATE + 1)
        if len(state) > MAX_STATE:
            return None
        return state.decode("utf-8", "replace")

    def set(self, cache_id, state):
        if not self._private_directory(create=True):
            return
        path = self._file(cache_id)
        partial = f"{path}.{os.getpid()}"
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                         | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as cached:
                cached.write(state.encode())
            os.replace(partial, path)
        except OSError as exc:
            LOG.warning("Token not cached in %s: %s", self.path,
                        exc.strerror)
            _remove(partial)

    def delete(self, cache_id):
        if self._private_directory(create=False):
            _remove(self._file(cache_id))

    def _private_directory(self, create):
        """Whether the directory is there and only its owner, the user,
        can read or change it; made so when ``create``."""
        try:
            status = os.lstat(self.path)
        except FileNotFoundError:
            if not create:
                return False
            try:
                os.makedirs(os.path.dirname(self.path), exist_ok=True)
                os.mkdir(self.path, 0o700)
                os.chmod(self.path, 0o700)  # whatever the umask
                status = os.lstat(self.path)
            except OSError as exc:
                LOG.warning("Token cache %s not made: %s", self.path,
                            exc.strerror)
                return False
        if not _private(status, stat.S_ISDIR):
            LOG.warning("Token cache %s not used: others could read or "
                        "change it (it must be a directory of mode 0700 "
                        "of yours)", self.path)
            return False
        return True


def _private(status, is_kind):
    return (is_kind(status.st_mode) and status.st_uid == os.getuid()
            and not status.st_mode & 0o077)


def _remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        LOG.warning("Cannot remove %s: %s", path, exc.strerror)
