// The header's account line: who the page acts for and with what scope, and "Sign out" (a
// token is held) or "Sign in with a token" (none is, on a server that asks for none).

const SCOPE_TITLE = {
  read: "Read-only: this token can view wallets but not change them",
  write: "This token can view and change your wallets",
  admin: "This token can change your wallets and manage users and tokens",
};

export class AccountView {
  /** `onSignOut()` forgets the token; `onSignIn()` shows the sign-in view. */
  constructor({ onSignOut, onSignIn }) {
    this.root = document.getElementById("account");
    this.lead = document.getElementById("account-lead");
    this.user = document.getElementById("account-user");
    this.scope = document.getElementById("account-scope");
    this.signOut = document.getElementById("sign-out");
    this.signIn = document.getElementById("sign-in-open");
    this.signOut.addEventListener("click", () => onSignOut());
    this.signIn.addEventListener("click", () => onSignIn());
  }

  /** `me`: the /me answer; `signedIn`: whether a token is held. */
  show(me, signedIn) {
    this.root.hidden = false;
    this.lead.textContent = signedIn ? "Signed in as" : "Acting as";
    this.user.textContent = me.user;
    this.scope.textContent = me.scope;
    this.scope.dataset.scope = me.scope;
    this.scope.title = SCOPE_TITLE[me.scope] ?? "";
    if (signedIn) this.root.removeAttribute("title");
    else this.root.title = "This server asks no token from this address; a token picks another user";
    this.signOut.hidden = !signedIn;
    this.signIn.hidden = signedIn;
  }

  hide() {
    this.root.hidden = true;
  }
}
