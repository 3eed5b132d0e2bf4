import { useState } from 'preact/hooks';
import { PATHS } from '../api/paths';
import type { ServiceAccountView } from '../api/types';
import { FormModal } from '../components/form-modal';
import { useSubmit } from '../components/use-load';
import { api } from '../session';
import { TextField } from '../components/text-field';

/** Name and description are all that may change (role and resources are fixed, seeds 000/001). */
export function RenameAccountModal(props: {
  account: ServiceAccountView;
  onClose: () => void;
  /** With what was saved, so the page can wait until its read model shows it. */
  onSaved: (saved: { name: string; description: string }) => void;
}) {
  const [name, setName] = useState(props.account.name);
  const [description, setDescription] = useState(props.account.description);
  const submit = useSubmit(async () => {
    const body: Record<string, string> = {};
    if (name.trim() !== props.account.name) body.name = name.trim();
    if (description !== props.account.description) body.description = description;
    if (Object.keys(body).length > 0)
      await api.call('PATCH', PATHS.account(props.account.id), body);
    props.onSaved({ name: name.trim(), description });
  });
  return (
    <FormModal
      title="Rename service account"
      onClose={props.onClose}
      submit={submit}
      submitLabel="Save"
    >
      <TextField label="Name" value={name} onValue={setName} required />
      <TextField
        label="Description"
        value={description}
        onValue={setDescription}
        limit="description"
        rows={3}
      />
    </FormModal>
  );
}
