# Français. Traduction en attente de relecture par une personne dont c'est la langue maternelle.
# This translation awaits review by a native speaker (see docs/TRANSLATING.md).

## The language menu

language-name = Français
languages-label = Langue

## Around every page

skip-link = Aller au contenu principal
leave-quickly = Quitter ce site rapidement
privacy-link = Confidentialité : qui peut lire vos réponses
shared-device-note = Sur un téléphone ou un ordinateur partagé, ouvrez cette page dans une fenêtre de navigation privée (aussi appelée « incognito ») : elle ne restera pas dans l’historique du navigateur. Fermez cette fenêtre quand vous avez fini.

## The letter page

sign-heading = Signer la lettre
signatures = { $count ->
    [one] { $shown } personne ou organisation a signé.
   *[other] { $shown } personnes et organisations ont signé.
}
privacy-notice = Vos réponses sont chiffrées dès leur arrivée : seules les personnes qui organisent cette lettre peuvent les lire, pas l’entreprise qui héberge ce site. Le site ne garde aucune trace de votre adresse internet, de votre appareil ni de l’heure à laquelle vous avez envoyé le formulaire. Il n’utilise ni cookies, ni scripts, ni traceurs.
privacy-notice-link = Comment vos réponses sont protégées
intent-label = Que voulez-vous faire ?
intent-sign = Signer la lettre
intent-sign-and-share = Signer la lettre et raconter ce qui s’est passé
intent-share = Seulement raconter ce qui s’est passé, sans signer
intent-help = Si vous racontez seulement ce qui s’est passé, on ne vous demande ni votre nom ni comment vous joindre, et votre réponse ne compte pas comme une signature.
part-signature = Votre signature
part-signature-help = Pour les personnes qui signent. Si vous racontez seulement ce qui s’est passé, passez cette partie : rien de ce qui est écrit ici n’est gardé.
part-testimony = Ce qui s’est passé
part-testimony-help = Pour les personnes qui racontent ce qui s’est passé. Vous n’avez pas besoin de donner votre nom, ni celui de quelqu’un d’autre.
optional-marker = (facultatif)
campaign-closed-title = Cette lettre est fermée
campaign-closed-body = Elle ne reçoit plus de signatures ni de récits de ce qui s’est passé, et rien n’a été enregistré. Merci à toutes les personnes qui ont signé et partagé leur histoire. Vous pouvez toujours lire la lettre.
campaign-language-note = La lettre et les questions sont affichées telles que les organisatrices et organisateurs les ont écrites, dans leur langue ({ $language }) ; leur traduction est attendue. Tout le reste de cette page est en français.
required-marker = (obligatoire)
required-if = (obligatoire si vous avez choisi « { $option } »)
required-to-share = (obligatoire si vous racontez ce qui s’est passé)
submit = Envoyer
honeypot-label = Laissez ce champ vide
error-summary-heading = Veuillez vérifier vos réponses
error-summary-item = { $question } : { $problem }
error-title = Veuillez vérifier vos réponses : { $title }
page-title = { $heading } — { $campaign }
home-link = Aller à la lettre

## Problems with one answer, shown next to it

required = Veuillez répondre à cette question.
choose-one = Veuillez choisir l’une des options.
choose-at-least-one = Veuillez cocher au moins une des options.
not-an-option = Veuillez choisir parmi les options proposées (le formulaire en a envoyé une qu’il ne contient pas).
control-character = Cette réponse contient un caractère de contrôle invisible (souvent venu d’un texte copié ailleurs, ou un retour à la ligne dans une réponse d’une seule ligne) qui ne peut pas être enregistré. Veuillez effacer puis retaper la partie que vous avez collée — le reste de votre texte est conservé ci-dessous.
bad-email = Cela ne ressemble pas à une adresse e-mail : il faut un seul @ avec du texte de chaque côté, et aucune espace. Vous pouvez aussi laisser ce champ vide.
bad-postal-code = Un code postal ne contient que des lettres, des chiffres, des espaces et des tirets. Vous pouvez aussi laisser ce champ vide.
bad-checkbox = Cette case a envoyé une valeur inattendue. Veuillez la cocher ou la décocher à nouveau.
must-tick = Veuillez cocher cette case pour continuer.
written-but-not-shared = Vous avez choisi seulement de signer la lettre, donc ce texte ne serait pas envoyé. Pour l’envoyer, choisissez « { intent-sign-and-share } » en haut du formulaire ; pour signer seulement, effacez le texte de cette case.
too-long = Cette réponse compte { $length } caractères ; la limite est de { $limit }. Veuillez la raccourcir — votre texte est conservé ci-dessous.

## A form that could not be read (the 400 page)

damaged-form = Les données du formulaire ont été abîmées en chemin, donc rien n’a été enregistré. Veuillez revenir en arrière et appuyer de nouveau sur Envoyer.
not-utf8 = Le texte du formulaire n’a pas pu être lu (il n’a pas été envoyé en UTF-8), donc rien n’a été enregistré. Veuillez revenir en arrière et l’envoyer de nouveau, si possible depuis un navigateur à jour.
nul-byte = Le formulaire contenait un caractère qui ne peut pas être enregistré (un octet NUL), donc rien n’a été enregistré. Veuillez revenir en arrière, retirer les caractères inhabituels que vous avez collés, et envoyer de nouveau.
duplicate-field = Le formulaire a envoyé deux fois le champ « { $name } », ce qui arrive quand une extension du navigateur ou une ancienne copie de la page modifie le formulaire. Rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et la remplir de nouveau.
unknown-field-named = Le formulaire a envoyé un champ appelé « { $name } » qu’il ne contient pas, ce qui arrive quand une extension du navigateur ou une ancienne copie de la page modifie le formulaire. Rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et la remplir de nouveau.
unknown-field = Le formulaire a envoyé un champ qu’il ne contient pas, ce qui arrive quand une extension du navigateur ou une ancienne copie de la page modifie le formulaire. Rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et la remplir de nouveau.

## Notices above a form that comes back

token-missing = Le formulaire est arrivé sans son code de sécurité, donc rien n’a encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer.
token-invalid = Cette copie du formulaire n’est plus à jour (le site a peut-être redémarré), donc rien n’a encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer.
token-too-young = Veuillez patienter un instant puis appuyer de nouveau sur Envoyer — vos réponses sont conservées.
token-expired = Ce formulaire est resté ouvert longtemps, il a donc fallu le renouveler et rien n’a encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer.
resent-other-answers = Ce formulaire avait déjà été envoyé, et les réponses envoyées alors ont bien été reçues. Les réponses modifiées ci-dessous n’ont pas été enregistrées. Si vous voulez les enregistrer aussi, appuyez de nouveau sur Envoyer : cela ajoute un deuxième envoi, séparé du premier.
rate-limited-notice = Beaucoup de formulaires ont été envoyés depuis votre connexion en peu de temps, donc le vôtre n’a pas encore été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer dans { $seconds ->
    [one] { $shown } seconde
   *[other] { $shown } secondes
}.
not-saved = Vos réponses n’ont pas pu être enregistrées pour le moment à cause d’un problème sur le serveur, donc rien n’a été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer dans une minute.
short-of-space = Vos réponses n’ont pas pu être enregistrées pour le moment : le serveur manque d’espace de stockage. Rien n’a été enregistré. Vos réponses sont conservées ci-dessous — veuillez appuyer de nouveau sur Envoyer plus tard (dans une heure, ou demain), et gardez cette page ouverte d’ici là.

## Pages: a title, and what happened and what to do

thanks-title = Merci
thanks-body = Vos réponses sont arrivées et ont été chiffrées aussitôt : seules les personnes qui organisent cette lettre peuvent les lire. Vous pouvez fermer cette page.
receipt-heading = Votre reçu
receipt-body = Avec ce reçu, vous pouvez retirer ce que vous avez envoyé, sur la page « { withdraw-title } ». Gardez-le dans un endroit sûr, ou ne le gardez pas du tout : toute personne qui l’a peut retirer vos réponses, et rien d’autre sur ce site ne les relie à vous.
receipt-link = Retirer ce que vous avez envoyé
support-heading = Si vous avez besoin de soutien
support-languages = Langues : { $languages }
bad-request-title = Le formulaire n’a pas pu être lu
bad-request-body = Ce qui est arrivé n’est pas un formulaire que ce site sait lire, donc rien n’a été enregistré. Veuillez revenir en arrière, recharger la page et réessayer.
not-found-title = Page introuvable
not-found-body = Il n’y a pas de page à cette adresse. La lettre et son formulaire sont sur la page d’accueil.
too-large-title = Vos réponses sont trop longues pour être envoyées
too-large-body = Rien n’a été enregistré. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur, raccourcissez la réponse la plus longue, puis appuyez de nouveau sur Envoyer.
unsupported-media-type-title = Le formulaire n’a pas pu être lu
unsupported-media-type-body = Ce qui est arrivé n’a pas été envoyé comme l’est un formulaire web, donc rien n’a été enregistré. Veuillez revenir en arrière et appuyer de nouveau sur Envoyer depuis la page du formulaire.
server-error-title = Un problème est survenu de notre côté
server-error-body = Vos réponses n’ont pas été enregistrées. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur et appuyez de nouveau sur Envoyer dans quelques minutes.
method-not-allowed-title = Cette adresse n’accepte pas cette demande
method-not-allowed-body = Rien n’a été enregistré. La lettre et son formulaire sont sur la page d’accueil.
headers-too-large-title = Votre navigateur a envoyé plus que ce que ce site lit
headers-too-large-body = Rien n’a été enregistré : la demande contenait trop d’informations supplémentaires (des cookies ou des en-têtes très volumineux, souvent dus à une extension du navigateur). Votre texte est toujours dans le formulaire : revenez en arrière et envoyez de nouveau, ou utilisez une fenêtre de navigation privée.
timeout-title = Vos réponses ont mis trop de temps à arriver
timeout-body = Rien n’a été enregistré ; la connexion était trop lente. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur et appuyez de nouveau sur Envoyer.
unavailable-title = Vos réponses n’ont pas pu être enregistrées pour le moment
unavailable-body = Rien n’a été enregistré : le serveur est très occupé ou rencontre un problème. Votre texte est toujours dans le formulaire : utilisez le bouton Retour de votre navigateur et appuyez de nouveau sur Envoyer dans une minute.
rate-limited-title = Veuillez patienter un peu
rate-limited = Beaucoup de formulaires ont été envoyés depuis votre connexion en peu de temps, donc celui-ci n’a pas encore été enregistré. Votre texte est toujours dans le formulaire : revenez en arrière avec le bouton Retour de votre navigateur et envoyez de nouveau dans { $seconds ->
    [one] { $shown } seconde
   *[other] { $shown } secondes
}.

## The privacy page

privacy-title = Comment vos réponses sont protégées
privacy-organizers-heading = Qui organise cette lettre
privacy-organizers = Cette lettre est organisée par :
privacy-organizers-unnamed = Cette lettre est organisée par des personnes qui ne donnent pas leur nom sur ce site.
privacy-readers-heading = Qui peut lire vos réponses
privacy-readers-body = Dès leur arrivée, avant tout enregistrement, vos réponses sont verrouillées (chiffrées) avec les clés des personnes qui organisent la lettre. Seules ces personnes peuvent les déverrouiller, sur leurs propres ordinateurs. L’entreprise ou la personne qui héberge ce site ne peut pas les lire. Quelqu’un qui saisirait le serveur ou qui y entrerait par effraction ne le pourrait pas non plus.
privacy-stored-heading = Ce qui est gardé
privacy-stored-body = Les réponses que vous envoyez, chiffrées, et le jour de leur arrivée. Rien d’autre : ni votre adresse internet, ni votre appareil ou votre navigateur, ni l’heure. Ce site ne dépose aucun cookie, n’exécute aucun script et ne charge rien depuis d’autres sites.
privacy-public-body = Votre nom ou celui de votre organisation n’est rendu public que si vous cochez la case prévue pour cela. Ce que vous racontez sur ce qui s’est passé n’est cité que si vous cochez la case qui le permet, et jamais avec votre nom.
privacy-kept-heading = Combien de temps c’est gardé
privacy-kept-body = Les réponses chiffrées restent sur le serveur jusqu’à ce que les personnes qui organisent la lettre les récupèrent et les en suppriment.
privacy-kept-days = Les réponses chiffrées restent sur le serveur jusqu’à ce que les personnes qui organisent la lettre les récupèrent, et au plus { $days } jours (comptés en semaines entières) après leur arrivée.
privacy-withdraw-heading = Retirer ce que vous avez envoyé
privacy-withdraw-contact = Pour retirer votre signature ou ce que vous avez raconté, contactez les personnes qui organisent la lettre : { $contact }
privacy-withdraw-no-contact = Pour retirer votre signature ou ce que vous avez raconté, contactez l’une des personnes qui organisent la lettre, nommées plus haut.
privacy-withdraw-receipt = Après l’envoi du formulaire, un reçu vous est montré. Avec ce reçu, vous pouvez retirer votre signature ou ce que vous avez raconté, sur la page « { withdraw-title } » : vos réponses sont supprimées de ce site, et les personnes qui organisent la lettre suppriment leur copie et retirent votre nom de toute liste publique.
privacy-device-heading = Sur un téléphone ou un ordinateur partagé
privacy-leave-body = Le lien « { leave-quickly } », en haut de chaque page, ouvre tout de suite un site ordinaire dans cet onglet.

## Taking back what was sent (/withdraw)

withdraw-title = Retirer ce que vous avez envoyé
withdraw-body = Entrez le reçu qui vous a été montré après l’envoi du formulaire. Vos réponses sont alors supprimées de ce site, et les personnes qui organisent la lettre suppriment leur copie et retirent votre nom de toute liste publique la prochaine fois qu’elles récupèrent les réponses.
withdraw-label = Reçu
withdraw-help = 32 lettres et chiffres, comme affichés après l’envoi ; les espaces, les tirets, les majuscules et les minuscules ne comptent pas.
withdraw-submit = Retirer
withdraw-done-title = Merci
withdraw-done-body = Si ce reçu correspond à des réponses envoyées ici, elles ont été retirées : supprimées de ce site, et les personnes qui organisent la lettre supprimeront leur copie et retireront votre nom de toute liste publique. Pour votre sécurité, cette page dit la même chose, que le reçu corresponde ou non.
withdraw-bad = Cela ne ressemble pas à un reçu : un reçu compte 32 lettres et chiffres, en groupes de quatre. Veuillez le vérifier et réessayer.

## The public list of signatories (/signatories)

signatories-title = Qui a signé publiquement
signatories-intro = Ces personnes et ces organisations ont signé la lettre et ont demandé à figurer sur la liste.
signatories-link = Voir qui a signé publiquement
signatories-previous = Page précédente
signatories-next = Page suivante
signatories-page = Page { $page } sur { $pages }
