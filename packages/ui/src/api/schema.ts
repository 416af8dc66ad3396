// Generated from docs/openapi.json by `npm run ui:client` (scripts/gen-ui-client.mjs). Do not edit.
export interface paths {
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List alerts of the declarative notifiers, newest first
         * @description Also `updraft alerts list`. Failed ones (`failed=true`) carry the error that ended them, naming the connection, never its secret.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only this DAG's alerts. */
                    dag_id?: string;
                    /** @description Only this run's alerts. */
                    dag_run_id?: string;
                    /** @description Only alerts that failed for good. */
                    failed?: boolean;
                    /** @description At most this many alerts, newest first. */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alerts: {
                                alert_id: number;
                                attempts: number;
                                /** Format: date-time */
                                created_at: string;
                                dag_id: string;
                                dag_run_id: string;
                                error: string | null;
                                /** @description onFailure, onRetry, onSuccess, onExecute, onDagRunSuccess, onDagRunFailure or onDagRunRecovered. */
                                event: string;
                                map_index: number;
                                next_attempt_at: string | null;
                                /** @description Where it goes: the notifier's kind and channel, recipients or receiver, and its connection id (never a secret). */
                                notifier: string;
                                sent_at: string | null;
                                /** @description pending, sending, sent, failed or muted. */
                                state: string;
                                task_id: string | null;
                                try_number: number;
                            }[];
                            /** @description How many are listed (at most limit). */
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List assets by URI */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description Only the asset with exactly this URI. */
                    uri?: string;
                    /** @description Only assets whose URI contains this text. */
                    uri_pattern?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            assets: {
                                /** @description Asset aliases resolved to it (tasks added its events through them), by name. */
                                aliases: {
                                    name: string;
                                }[];
                                /** @description DAGs scheduled on it, or on an asset alias resolved to it. */
                                consuming_dags: {
                                    dag_id: string;
                                }[];
                                /** Format: date-time */
                                created_at: string;
                                id: number;
                                last_event_at: string | null;
                                /** @description Tasks that declare it as an outlet, or an asset alias resolved to it among their outlets. */
                                producing_tasks: {
                                    dag_id: string;
                                    task_id: string;
                                }[];
                                /**
                                 * Format: date-time
                                 * @description When its latest event was recorded (when it was first named, before any event).
                                 */
                                updated_at: string;
                                uri: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assets/aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List asset aliases by name */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Only aliases whose name contains this text. */
                    name_pattern?: string;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asset_aliases: {
                                /** @description The assets it resolved to (tasks added their events through it), by URI; [] before its first event. */
                                assets: {
                                    uri: string;
                                }[];
                                /** @description DAGs scheduled on it. */
                                consuming_dags: {
                                    dag_id: string;
                                }[];
                                name: string;
                                /** @description Tasks that have it among their outlets. */
                                producing_tasks: {
                                    dag_id: string;
                                    task_id: string;
                                }[];
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/assets/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List asset events, newest first */
        get: {
            parameters: {
                query: {
                    /** @description Only events of this asset. */
                    asset_uri?: string;
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description Only events added through this asset alias. */
                    source_alias?: string;
                    /** @description Only events recorded by this DAG's tasks. */
                    source_dag_id?: string;
                    /** @description Only events recorded in this run. */
                    source_run_id?: string;
                    /** @description Only events recorded by this task. */
                    source_task_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asset_events: {
                                asset_id: number;
                                /** @description The runs it triggered. */
                                created_dagruns: {
                                    dag_id: string;
                                    dag_run_id: string;
                                }[];
                                extra: {
                                    [key: string]: unknown;
                                };
                                id: number;
                                /** @description The asset aliases its producer added it through, by name; [] for a declared outlet's event or one posted through the API. */
                                source_aliases: string[];
                                source_dag_id: string | null;
                                source_map_index: number | null;
                                source_run_id: string | null;
                                source_task_id: string | null;
                                /** Format: date-time */
                                timestamp: string;
                                uri: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Record an asset event for an update made outside Updraft; DAGs scheduled on the asset may get a run */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The asset that was updated outside Updraft (created if unknown). */
                        asset_uri: string;
                        /** @description Free JSON kept with the event. */
                        extra?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asset_id: number;
                            /** @description The runs it triggered. */
                            created_dagruns: {
                                dag_id: string;
                                dag_run_id: string;
                            }[];
                            extra: {
                                [key: string]: unknown;
                            };
                            id: number;
                            /** @description The asset aliases its producer added it through, by name; [] for a declared outlet's event or one posted through the API. */
                            source_aliases: string[];
                            source_dag_id: string | null;
                            source_map_index: number | null;
                            source_run_id: string | null;
                            source_task_id: string | null;
                            /** Format: date-time */
                            timestamp: string;
                            uri: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in: check the password, start a session (HttpOnly cookie updraft_session; CSRF token in cookie updraft_csrf) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The password (never stored, logged or answered). */
                        password: string;
                        /** @description The login name. */
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description How this request was authenticated. */
                            authenticated_by: "session" | "basic" | "token";
                            email: string | null;
                            first_name: string;
                            last_name: string;
                            role: "Admin" | "Op" | "User" | "Viewer";
                            /**
                             * Format: date-time
                             * @description When the session ends unless used (session only).
                             */
                            session_expires_at?: string;
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log out: end the session and clear its cookies (needs X-CSRF-Token while the session is live) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is asking: username, role, e-mail, names */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description How this request was authenticated. */
                            authenticated_by: "session" | "basic" | "token";
                            email: string | null;
                            first_name: string;
                            last_name: string;
                            role: "Admin" | "Op" | "User" | "Viewer";
                            /**
                             * Format: date-time
                             * @description When the session ends unless used (session only).
                             */
                            session_expires_at?: string;
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backfills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List backfills, newest first */
        get: {
            parameters: {
                query: {
                    /** @description Only running and paused ones. */
                    active?: boolean;
                    /** @description Only this DAG's backfills. */
                    dag_id?: string;
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            backfills: {
                                completed_at: string | null;
                                /** Format: date-time */
                                created_at: string;
                                created_by: string | null;
                                dag_id: string;
                                dag_run_conf: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                from_date: string;
                                id: number;
                                is_paused: boolean;
                                max_active_runs: number;
                                /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                                reprocess_behavior: "none" | "failed" | "completed";
                                run_backwards: boolean;
                                /** @description The states of its runs. */
                                runs: {
                                    failed: number;
                                    queued: number;
                                    running: number;
                                    success: number;
                                    total: number;
                                };
                                /** @description Intervals skipped because a run existed there (or was in flight). */
                                skipped_intervals: number;
                                state: "running" | "paused" | "completed" | "cancelled";
                                /** Format: date-time */
                                to_date: string;
                                /** @description Intervals in the range. */
                                total_intervals: number;
                                /** Format: date-time */
                                updated_at: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a backfill: one run per schedule interval in the range (409 when the DAG has an active one) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The DAG. */
                        dag_id: string;
                        /** @description conf of the runs it creates. */
                        dag_run_conf?: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description First logical date (inclusive).
                         */
                        from_date: string;
                        /** @description Runs of this backfill at once (default: the DAG's max_active_runs). */
                        max_active_runs?: number;
                        /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                        reprocess_behavior?: "none" | "failed" | "completed";
                        /**
                         * @description Newest interval first.
                         * @default false
                         */
                        run_backwards?: boolean;
                        /**
                         * Format: date-time
                         * @description Last logical date (inclusive).
                         */
                        to_date: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            completed_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            created_by: string | null;
                            dag_id: string;
                            dag_run_conf: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            from_date: string;
                            id: number;
                            is_paused: boolean;
                            max_active_runs: number;
                            /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                            reprocess_behavior: "none" | "failed" | "completed";
                            run_backwards: boolean;
                            /** @description The states of its runs. */
                            runs: {
                                failed: number;
                                queued: number;
                                running: number;
                                success: number;
                                total: number;
                            };
                            /** @description Intervals skipped because a run existed there (or was in flight). */
                            skipped_intervals: number;
                            state: "running" | "paused" | "completed" | "cancelled";
                            /** Format: date-time */
                            to_date: string;
                            /** @description Intervals in the range. */
                            total_intervals: number;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backfills/{backfill_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a backfill with the states of its runs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The backfill id. */
                    backfill_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            completed_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            created_by: string | null;
                            dag_id: string;
                            dag_run_conf: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            from_date: string;
                            id: number;
                            is_paused: boolean;
                            max_active_runs: number;
                            /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                            reprocess_behavior: "none" | "failed" | "completed";
                            run_backwards: boolean;
                            /** @description The states of its runs. */
                            runs: {
                                failed: number;
                                queued: number;
                                running: number;
                                success: number;
                                total: number;
                            };
                            /** @description Intervals skipped because a run existed there (or was in flight). */
                            skipped_intervals: number;
                            state: "running" | "paused" | "completed" | "cancelled";
                            /** Format: date-time */
                            to_date: string;
                            /** @description Intervals in the range. */
                            total_intervals: number;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backfills/{backfill_id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Cancel a backfill: its queued runs end failed, running ones finish */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The backfill id. */
                    backfill_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            completed_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            created_by: string | null;
                            dag_id: string;
                            dag_run_conf: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            from_date: string;
                            id: number;
                            is_paused: boolean;
                            max_active_runs: number;
                            /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                            reprocess_behavior: "none" | "failed" | "completed";
                            run_backwards: boolean;
                            /** @description The states of its runs. */
                            runs: {
                                failed: number;
                                queued: number;
                                running: number;
                                success: number;
                                total: number;
                            };
                            /** @description Intervals skipped because a run existed there (or was in flight). */
                            skipped_intervals: number;
                            state: "running" | "paused" | "completed" | "cancelled";
                            /** Format: date-time */
                            to_date: string;
                            /** @description Intervals in the range. */
                            total_intervals: number;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backfills/{backfill_id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Pause a backfill: no new run of it starts; running ones finish */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The backfill id. */
                    backfill_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            completed_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            created_by: string | null;
                            dag_id: string;
                            dag_run_conf: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            from_date: string;
                            id: number;
                            is_paused: boolean;
                            max_active_runs: number;
                            /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                            reprocess_behavior: "none" | "failed" | "completed";
                            run_backwards: boolean;
                            /** @description The states of its runs. */
                            runs: {
                                failed: number;
                                queued: number;
                                running: number;
                                success: number;
                                total: number;
                            };
                            /** @description Intervals skipped because a run existed there (or was in flight). */
                            skipped_intervals: number;
                            state: "running" | "paused" | "completed" | "cancelled";
                            /** Format: date-time */
                            to_date: string;
                            /** @description Intervals in the range. */
                            total_intervals: number;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backfills/{backfill_id}/unpause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Resume a paused backfill */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The backfill id. */
                    backfill_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            completed_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            created_by: string | null;
                            dag_id: string;
                            dag_run_conf: {
                                [key: string]: unknown;
                            };
                            /** Format: date-time */
                            from_date: string;
                            id: number;
                            is_paused: boolean;
                            max_active_runs: number;
                            /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                            reprocess_behavior: "none" | "failed" | "completed";
                            run_backwards: boolean;
                            /** @description The states of its runs. */
                            runs: {
                                failed: number;
                                queued: number;
                                running: number;
                                success: number;
                                total: number;
                            };
                            /** @description Intervals skipped because a run existed there (or was in flight). */
                            skipped_intervals: number;
                            state: "running" | "paused" | "completed" | "cancelled";
                            /** Format: date-time */
                            to_date: string;
                            /** @description Intervals in the range. */
                            total_intervals: number;
                            /** Format: date-time */
                            updated_at: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/backfills/dry_run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The logical dates a backfill would cover, and what it would do with each; creates nothing */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The DAG. */
                        dag_id: string;
                        /** @description conf of the runs it creates. */
                        dag_run_conf?: {
                            [key: string]: unknown;
                        };
                        /**
                         * Format: date-time
                         * @description First logical date (inclusive).
                         */
                        from_date: string;
                        /** @description Runs of this backfill at once (default: the DAG's max_active_runs). */
                        max_active_runs?: number;
                        /** @description Existing runs to rerun: none, failed, or completed (failed and successful). Queued and running runs are never touched. */
                        reprocess_behavior?: "none" | "failed" | "completed";
                        /**
                         * @description Newest interval first.
                         * @default false
                         */
                        run_backwards?: boolean;
                        /**
                         * Format: date-time
                         * @description Last logical date (inclusive).
                         */
                        to_date: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            backfills: {
                                action: "create" | "reprocess" | "skip";
                                /** Format: date-time */
                                data_interval_end: string;
                                /** Format: date-time */
                                data_interval_start: string;
                                /** Format: date-time */
                                logical_date: string;
                                reason: string | null;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the configuration (secrets masked) */
        get: {
            parameters: {
                query?: {
                    /** @description Only this section. */
                    section?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sections: {
                                name: string;
                                options: {
                                    key: string;
                                    source: string;
                                    /** @description Secrets are `***`; URL passwords masked. */
                                    value: string;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/config/section/{section}/option/{option}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one configuration option (a secret masked) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The option. */
                    option: string;
                    /** @description The section. */
                    section: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            sections: {
                                name: string;
                                options: {
                                    key: string;
                                    source: string;
                                    /** @description Secrets are `***`; URL passwords masked. */
                                    value: string;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List connections (never their passwords) */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            connections: {
                                conn_type: string;
                                connection_id: string;
                                description: string | null;
                                host: string | null;
                                login: string | null;
                                port: number | null;
                                /**
                                 * @description Present when the webserver's environment defines the connection (UPDRAFT_CONN_<ID>): it cannot be changed or deleted through the API.
                                 * @enum {boolean}
                                 */
                                read_only?: true;
                                schema: string | null;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a connection */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The connection type (e.g. `postgres`, `http`). */
                        conn_type: string;
                        /** @description The connection id. */
                        connection_id: string;
                        description?: string | null;
                        extra?: string | null;
                        host?: string | null;
                        login?: string | null;
                        password?: string | null;
                        port?: number | null;
                        schema?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            conn_type: string;
                            connection_id: string;
                            description: string | null;
                            extra: string | null;
                            host: string | null;
                            login: string | null;
                            port: number | null;
                            /**
                             * @description Present when the webserver's environment defines the connection (UPDRAFT_CONN_<ID>): it cannot be changed or deleted through the API.
                             * @enum {boolean}
                             */
                            read_only?: true;
                            schema: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/connections/{connection_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a connection (no password; secret extra fields masked) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The connection id. */
                    connection_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            conn_type: string;
                            connection_id: string;
                            description: string | null;
                            extra: string | null;
                            host: string | null;
                            login: string | null;
                            port: number | null;
                            /**
                             * @description Present when the webserver's environment defines the connection (UPDRAFT_CONN_<ID>): it cannot be changed or deleted through the API.
                             * @enum {boolean}
                             */
                            read_only?: true;
                            schema: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a connection */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The connection id. */
                    connection_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a connection (update_mask: which fields; default: those the body has) */
        patch: {
            parameters: {
                query?: {
                    /** @description The fields to change (default: every field the body has). */
                    update_mask?: ("conn_type" | "description" | "host" | "login" | "schema" | "port" | "password" | "extra")[];
                };
                header?: never;
                path: {
                    /** @description The connection id. */
                    connection_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The connection type (e.g. `postgres`, `http`). */
                        conn_type: string;
                        /** @description The connection id. */
                        connection_id: string;
                        description?: string | null;
                        extra?: string | null;
                        host?: string | null;
                        login?: string | null;
                        password?: string | null;
                        port?: number | null;
                        schema?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            conn_type: string;
                            connection_id: string;
                            description: string | null;
                            extra: string | null;
                            host: string | null;
                            login: string | null;
                            port: number | null;
                            /**
                             * @description Present when the webserver's environment defines the connection (UPDRAFT_CONN_<ID>): it cannot be changed or deleted through the API.
                             * @enum {boolean}
                             */
                            read_only?: true;
                            schema: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/connections/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test a connection: open a TCP connection to its host and port (only when webserver.test_connection is enabled) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The connection type (e.g. `postgres`, `http`). */
                        conn_type: string;
                        /** @description The connection id. */
                        connection_id: string;
                        description?: string | null;
                        extra?: string | null;
                        host?: string | null;
                        login?: string | null;
                        password?: string | null;
                        port?: number | null;
                        schema?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            status: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List DAGs */
        get: {
            parameters: {
                query: {
                    /** @description Case-insensitive pattern (SQL LIKE) matched anywhere in the DAG id. */
                    dag_id_pattern?: string;
                    /** @description Only the caller's favourite DAGs (true), or only the others (false). */
                    is_favorite?: boolean;
                    /** @description Only DAGs whose latest run (by logical date) is in this state. */
                    last_dag_run_state?: "queued" | "running" | "success" | "failed";
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description Only DAGs whose file is present. */
                    only_active: boolean;
                    /** @description One of dag_id, is_paused, is_active, last_parsed_time, next_dagrun, fileloc, owners; prefix `-` for descending. */
                    order_by?: string;
                    /** @description Only paused (true) or unpaused (false) DAGs. */
                    paused?: boolean;
                    /** @description DAGs having any of these tags. */
                    tags?: string[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dags: {
                                dag_display_name: string;
                                dag_id: string;
                                description: string | null;
                                file_token: string | null;
                                fileloc: string;
                                has_import_errors: boolean;
                                has_task_concurrency_limits: boolean;
                                is_active: boolean;
                                is_paused: boolean;
                                is_subdag: boolean;
                                last_parsed_time: string | null;
                                max_active_runs: number;
                                max_active_tasks: number;
                                next_dagrun: string | null;
                                next_dagrun_create_after: string | null;
                                next_dagrun_data_interval_end: string | null;
                                next_dagrun_data_interval_start: string | null;
                                next_run_aliases: {
                                    name: string;
                                    updated: boolean;
                                }[] | null;
                                next_run_assets: {
                                    updated: boolean;
                                    uri: string;
                                }[] | null;
                                owners: string[];
                                root_dag_id: null;
                                schedule_interval: ({
                                    /** @enum {string} */
                                    __type: "CronExpression";
                                    value: string;
                                } | {
                                    /** @enum {string} */
                                    __type: "TimeDelta";
                                    days: number;
                                    microseconds: number;
                                    seconds: number;
                                }) | null;
                                tags: {
                                    name: string;
                                }[];
                                timetable_description: string | null;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Pause or unpause the DAGs matching dag_id_pattern (and tags); answers the changed DAGs */
        patch: {
            parameters: {
                query: {
                    /** @description The DAGs to change: their id contains this (SQL LIKE, case-insensitive); `~` for every DAG. */
                    dag_id_pattern: string;
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description Only DAGs whose file is present. */
                    only_active: boolean;
                    /** @description DAGs having any of these tags. */
                    tags?: string[];
                    /** @description The fields to change; only `is_paused`. */
                    update_mask?: "is_paused"[];
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Pause (true) or unpause (false) the DAG. */
                        is_paused: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dags: {
                                dag_display_name: string;
                                dag_id: string;
                                description: string | null;
                                file_token: string | null;
                                fileloc: string;
                                has_import_errors: boolean;
                                has_task_concurrency_limits: boolean;
                                is_active: boolean;
                                is_paused: boolean;
                                is_subdag: boolean;
                                last_parsed_time: string | null;
                                max_active_runs: number;
                                max_active_tasks: number;
                                next_dagrun: string | null;
                                next_dagrun_create_after: string | null;
                                next_dagrun_data_interval_end: string | null;
                                next_dagrun_data_interval_start: string | null;
                                next_run_aliases: {
                                    name: string;
                                    updated: boolean;
                                }[] | null;
                                next_run_assets: {
                                    updated: boolean;
                                    uri: string;
                                }[] | null;
                                owners: string[];
                                root_dag_id: null;
                                schedule_interval: ({
                                    /** @enum {string} */
                                    __type: "CronExpression";
                                    value: string;
                                } | {
                                    /** @enum {string} */
                                    __type: "TimeDelta";
                                    days: number;
                                    microseconds: number;
                                    seconds: number;
                                }) | null;
                                tags: {
                                    name: string;
                                }[];
                                timetable_description: string | null;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/dags/{dag_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a DAG */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_display_name: string;
                            dag_id: string;
                            description: string | null;
                            file_token: string | null;
                            fileloc: string;
                            has_import_errors: boolean;
                            has_task_concurrency_limits: boolean;
                            is_active: boolean;
                            is_paused: boolean;
                            is_subdag: boolean;
                            last_parsed_time: string | null;
                            max_active_runs: number;
                            max_active_tasks: number;
                            next_dagrun: string | null;
                            next_dagrun_create_after: string | null;
                            next_dagrun_data_interval_end: string | null;
                            next_dagrun_data_interval_start: string | null;
                            next_run_aliases: {
                                name: string;
                                updated: boolean;
                            }[] | null;
                            next_run_assets: {
                                updated: boolean;
                                uri: string;
                            }[] | null;
                            owners: string[];
                            root_dag_id: null;
                            schedule_interval: ({
                                /** @enum {string} */
                                __type: "CronExpression";
                                value: string;
                            } | {
                                /** @enum {string} */
                                __type: "TimeDelta";
                                days: number;
                                microseconds: number;
                                seconds: number;
                            }) | null;
                            tags: {
                                name: string;
                            }[];
                            timetable_description: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a DAG with all its records
         * @description Deletes the DAG's runs, task instances, tries, XCom, versions, backfills, callbacks and alerts (the event log and task log files stay). 409 while any of its task instances is queued or running. A DAG whose file is still in the DAGs folder comes back, without history, at the next parse.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Pause or unpause a DAG */
        patch: {
            parameters: {
                query?: {
                    /** @description The fields to change; only `is_paused`. */
                    update_mask?: "is_paused"[];
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Pause (true) or unpause (false) the DAG. */
                        is_paused: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_display_name: string;
                            dag_id: string;
                            description: string | null;
                            file_token: string | null;
                            fileloc: string;
                            has_import_errors: boolean;
                            has_task_concurrency_limits: boolean;
                            is_active: boolean;
                            is_paused: boolean;
                            is_subdag: boolean;
                            last_parsed_time: string | null;
                            max_active_runs: number;
                            max_active_tasks: number;
                            next_dagrun: string | null;
                            next_dagrun_create_after: string | null;
                            next_dagrun_data_interval_end: string | null;
                            next_dagrun_data_interval_start: string | null;
                            next_run_aliases: {
                                name: string;
                                updated: boolean;
                            }[] | null;
                            next_run_assets: {
                                updated: boolean;
                                uri: string;
                            }[] | null;
                            owners: string[];
                            root_dag_id: null;
                            schedule_interval: ({
                                /** @enum {string} */
                                __type: "CronExpression";
                                value: string;
                            } | {
                                /** @enum {string} */
                                __type: "TimeDelta";
                                days: number;
                                microseconds: number;
                                seconds: number;
                            }) | null;
                            tags: {
                                name: string;
                            }[];
                            timetable_description: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/clearTaskInstances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Clear task instances: they run again with a new try (dry_run, the default: answers them) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only this run (not with start_date / end_date). */
                        dag_run_id?: string;
                        /**
                         * @description Only answer what would be cleared (default true, as Airflow).
                         * @default true
                         */
                        dry_run: boolean;
                        /**
                         * Format: date-time
                         * @description Runs with a logical date at or before this instant.
                         */
                        end_date?: string;
                        /**
                         * @description Also the downstream tasks of those selected.
                         * @default false
                         */
                        include_downstream: boolean;
                        /**
                         * @description Also the runs after the range (or after dag_run_id's logical date).
                         * @default false
                         */
                        include_future: boolean;
                        /** @description Accepted for Airflow clients; Updraft has no subdags. */
                        include_parentdag?: boolean;
                        /**
                         * @description Also the runs before the range (or before dag_run_id's logical date).
                         * @default false
                         */
                        include_past: boolean;
                        /** @description Accepted for Airflow clients; Updraft has no subdags. */
                        include_subdags?: boolean;
                        /**
                         * @description Also the upstream tasks of those selected.
                         * @default false
                         */
                        include_upstream: boolean;
                        /**
                         * @description Only failed and upstream_failed instances (default true, as Airflow).
                         * @default true
                         */
                        only_failed: boolean;
                        /**
                         * @description Only running instances.
                         * @default false
                         */
                        only_running: boolean;
                        /** @description Accepted for Airflow clients; the finished runs of cleared instances always go back to queued (running ones stay running). */
                        reset_dag_runs?: boolean;
                        /**
                         * Format: date-time
                         * @description Runs with a logical date at or after this instant.
                         */
                        start_date?: string;
                        /** @description Only these tasks (default all): a task id, or a [task_id, map_index] pair for one instance of a mapped task (as Airflow). */
                        task_ids?: (string | [
                            string,
                            number
                        ])[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            task_instances: {
                                dag_id: string;
                                dag_run_id: string;
                                /** Format: date-time */
                                execution_date: string;
                                map_index: number;
                                /** @description The state it has now (before the change, in a dry run). */
                                state: string | null;
                                task_id: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List DAG runs (`~` as dag_id: of every DAG) */
        get: {
            parameters: {
                query: {
                    /** @description end_date at or after this instant */
                    end_date_gte?: string;
                    /** @description end_date at or before this instant */
                    end_date_lte?: string;
                    /** @description execution_date at or after this instant */
                    execution_date_gte?: string;
                    /** @description execution_date at or before this instant */
                    execution_date_lte?: string;
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description One of id, dag_id, dag_run_id, state, run_type, execution_date, logical_date, start_date, end_date, queued_at, data_interval_start, data_interval_end; prefix `-` for descending. */
                    order_by?: string;
                    /** @description start_date at or after this instant */
                    start_date_gte?: string;
                    /** @description start_date at or before this instant */
                    start_date_lte?: string;
                    state?: ("queued" | "running" | "success" | "failed")[];
                };
                header?: never;
                path: {
                    /** @description The DAG id, or `~` for every DAG. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_runs: {
                                bundle_commit: string | null;
                                bundle_version: string | null;
                                conf: {
                                    [key: string]: unknown;
                                };
                                dag_id: string;
                                dag_run_id: string;
                                dag_version: {
                                    /**
                                     * Format: date-time
                                     * @description When this version was parsed.
                                     */
                                    created_at: string;
                                    dag_hash: string;
                                    /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                    file_token: string;
                                    fileloc: string;
                                } | null;
                                data_interval_end: string | null;
                                data_interval_start: string | null;
                                deadline_missed_at: string | null;
                                end_date: string | null;
                                /** Format: date-time */
                                execution_date: string;
                                external_trigger: boolean;
                                last_scheduling_decision: string | null;
                                /** Format: date-time */
                                logical_date: string;
                                note: string | null;
                                queued_at: string | null;
                                run_type: string;
                                start_date: string | null;
                                state: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Trigger a DAG run */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description A JSON object given to the run's tasks. */
                        conf?: {
                            [key: string]: unknown;
                        };
                        dag_run_id?: string | null;
                        execution_date?: string | null;
                        logical_date?: string | null;
                        note?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bundle_commit: string | null;
                            bundle_version: string | null;
                            conf: {
                                [key: string]: unknown;
                            };
                            dag_id: string;
                            dag_run_id: string;
                            dag_version: {
                                /**
                                 * Format: date-time
                                 * @description When this version was parsed.
                                 */
                                created_at: string;
                                dag_hash: string;
                                /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                file_token: string;
                                fileloc: string;
                            } | null;
                            data_interval_end: string | null;
                            data_interval_start: string | null;
                            deadline_missed_at: string | null;
                            end_date: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            external_trigger: boolean;
                            last_scheduling_decision: string | null;
                            /** Format: date-time */
                            logical_date: string;
                            note: string | null;
                            queued_at: string | null;
                            run_type: string;
                            start_date: string | null;
                            state: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a DAG run */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bundle_commit: string | null;
                            bundle_version: string | null;
                            conf: {
                                [key: string]: unknown;
                            };
                            dag_id: string;
                            dag_run_id: string;
                            dag_version: {
                                /**
                                 * Format: date-time
                                 * @description When this version was parsed.
                                 */
                                created_at: string;
                                dag_hash: string;
                                /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                file_token: string;
                                fileloc: string;
                            } | null;
                            data_interval_end: string | null;
                            data_interval_start: string | null;
                            deadline_missed_at: string | null;
                            end_date: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            external_trigger: boolean;
                            last_scheduling_decision: string | null;
                            /** Format: date-time */
                            logical_date: string;
                            note: string | null;
                            queued_at: string | null;
                            run_type: string;
                            start_date: string | null;
                            state: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a DAG run with its task instances
         * @description Deletes the run, its task instances, tries, XCom, callbacks and alerts (the event log and task log files stay). 409 while any of its task instances is queued or running.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Set a DAG run's state: success, failed or queued */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description success: its unfinished task instances succeed too; failed: its running ones fail, the other unfinished ones are skipped; queued: a scheduler starts it again. A running run's teardown tasks that have not ended are left to run: the run stays running until they end, then takes the state set. */
                        state: "success" | "failed" | "queued";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bundle_commit: string | null;
                            bundle_version: string | null;
                            conf: {
                                [key: string]: unknown;
                            };
                            dag_id: string;
                            dag_run_id: string;
                            dag_version: {
                                /**
                                 * Format: date-time
                                 * @description When this version was parsed.
                                 */
                                created_at: string;
                                dag_hash: string;
                                /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                file_token: string;
                                fileloc: string;
                            } | null;
                            data_interval_end: string | null;
                            data_interval_start: string | null;
                            deadline_missed_at: string | null;
                            end_date: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            external_trigger: boolean;
                            last_scheduling_decision: string | null;
                            /** Format: date-time */
                            logical_date: string;
                            note: string | null;
                            queued_at: string | null;
                            run_type: string;
                            start_date: string | null;
                            state: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/clear": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Clear a DAG run: its task instances run again (dry_run, the default: answers them) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Only answer what would be cleared (default true, as Airflow).
                         * @default true
                         */
                        dry_run: boolean;
                        /**
                         * @description Only failed and upstream_failed task instances.
                         * @default false
                         */
                        only_failed: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            task_instances: {
                                dag_id: string;
                                dag_run_id: string;
                                duration: number | null;
                                end_date: string | null;
                                end_reason: string | null;
                                /** Format: date-time */
                                execution_date: string;
                                executor: string | null;
                                executor_config: string | null;
                                exit_code: number | null;
                                hostname: string | null;
                                last_requeue_reason: string | null;
                                map_index: number;
                                max_tries: number;
                                note: string | null;
                                operator: string | null;
                                pending_reason: string | null;
                                pid: number | null;
                                pool: string;
                                pool_slots: number;
                                priority_weight: number | null;
                                queue: string | null;
                                queued_when: string | null;
                                /** @description Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed. */
                                rendered_fields: {
                                    [key: string]: unknown;
                                };
                                rendered_map_index: string | null;
                                /** @description Updraft: how often this try's queued message was lost and published again (same try, new attempt token). */
                                requeue_count: number;
                                sla_miss: null;
                                start_date: string | null;
                                state: string | null;
                                task_display_name: string;
                                task_id: string;
                                trigger: null;
                                triggerer_job: null;
                                try_number: number;
                                unixname: string | null;
                                worker: string | null;
                            }[];
                            total_entries: number;
                        } | {
                            bundle_commit: string | null;
                            bundle_version: string | null;
                            conf: {
                                [key: string]: unknown;
                            };
                            dag_id: string;
                            dag_run_id: string;
                            dag_version: {
                                /**
                                 * Format: date-time
                                 * @description When this version was parsed.
                                 */
                                created_at: string;
                                dag_hash: string;
                                /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                file_token: string;
                                fileloc: string;
                            } | null;
                            data_interval_end: string | null;
                            data_interval_start: string | null;
                            deadline_missed_at: string | null;
                            end_date: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            external_trigger: boolean;
                            last_scheduling_decision: string | null;
                            /** Format: date-time */
                            logical_date: string;
                            note: string | null;
                            queued_at: string | null;
                            run_type: string;
                            start_date: string | null;
                            state: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/setNote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set the note of a DAG run */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        note: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            bundle_commit: string | null;
                            bundle_version: string | null;
                            conf: {
                                [key: string]: unknown;
                            };
                            dag_id: string;
                            dag_run_id: string;
                            dag_version: {
                                /**
                                 * Format: date-time
                                 * @description When this version was parsed.
                                 */
                                created_at: string;
                                dag_hash: string;
                                /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                file_token: string;
                                fileloc: string;
                            } | null;
                            data_interval_end: string | null;
                            data_interval_start: string | null;
                            deadline_missed_at: string | null;
                            end_date: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            external_trigger: boolean;
                            last_scheduling_decision: string | null;
                            /** Format: date-time */
                            logical_date: string;
                            note: string | null;
                            queued_at: string | null;
                            run_type: string;
                            start_date: string | null;
                            state: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List task instances (`~` as dag_id or dag_run_id: of every DAG or run) */
        get: {
            parameters: {
                query: {
                    /** @description Seconds. */
                    duration_gte?: number;
                    /** @description Seconds. */
                    duration_lte?: number;
                    /** @description end_date at or after this instant */
                    end_date_gte?: string;
                    /** @description end_date at or before this instant */
                    end_date_lte?: string;
                    /** @description execution_date at or after this instant */
                    execution_date_gte?: string;
                    /** @description execution_date at or before this instant */
                    execution_date_lte?: string;
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description One of dag_id, dag_run_id, task_id, map_index, state, try_number, execution_date, logical_date, start_date, end_date, duration, queued_when, pool, queue, priority_weight; prefix `-` for descending. */
                    order_by?: string;
                    /** @description Pools. */
                    pool?: string[];
                    /** @description Queues. */
                    queue?: string[];
                    /** @description start_date at or after this instant */
                    start_date_gte?: string;
                    /** @description start_date at or before this instant */
                    start_date_lte?: string;
                    state?: ("none" | "scheduled" | "queued" | "running" | "success" | "failed" | "up_for_retry" | "up_for_reschedule" | "skipped" | "upstream_failed" | "removed" | "deferred")[];
                    /** @description Task ids. */
                    task_ids?: string[];
                };
                header?: never;
                path: {
                    /** @description The DAG id, or `~` for every DAG. */
                    dag_id: string;
                    /** @description The run id, or `~` for every run. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            task_instances: {
                                dag_id: string;
                                dag_run_id: string;
                                duration: number | null;
                                end_date: string | null;
                                end_reason: string | null;
                                /** Format: date-time */
                                execution_date: string;
                                executor: string | null;
                                executor_config: string | null;
                                exit_code: number | null;
                                hostname: string | null;
                                last_requeue_reason: string | null;
                                map_index: number;
                                max_tries: number;
                                note: string | null;
                                operator: string | null;
                                pending_reason: string | null;
                                pid: number | null;
                                pool: string;
                                pool_slots: number;
                                priority_weight: number | null;
                                queue: string | null;
                                queued_when: string | null;
                                /** @description Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed. */
                                rendered_fields: {
                                    [key: string]: unknown;
                                };
                                rendered_map_index: string | null;
                                /** @description Updraft: how often this try's queued message was lost and published again (same try, new attempt token). */
                                requeue_count: number;
                                sla_miss: null;
                                start_date: string | null;
                                state: string | null;
                                task_display_name: string;
                                task_id: string;
                                trigger: null;
                                triggerer_job: null;
                                try_number: number;
                                unixname: string | null;
                                worker: string | null;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a task instance */
        get: {
            parameters: {
                query: {
                    map_index: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string;
                            dag_run_id: string;
                            duration: number | null;
                            end_date: string | null;
                            end_reason: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            executor: string | null;
                            executor_config: string | null;
                            exit_code: number | null;
                            hostname: string | null;
                            last_requeue_reason: string | null;
                            map_index: number;
                            max_tries: number;
                            note: string | null;
                            operator: string | null;
                            pending_reason: string | null;
                            pid: number | null;
                            pool: string;
                            pool_slots: number;
                            priority_weight: number | null;
                            queue: string | null;
                            queued_when: string | null;
                            /** @description Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed. */
                            rendered_fields: {
                                [key: string]: unknown;
                            };
                            rendered_map_index: string | null;
                            /** @description Updraft: how often this try's queued message was lost and published again (same try, new attempt token). */
                            requeue_count: number;
                            sla_miss: null;
                            start_date: string | null;
                            state: string | null;
                            task_display_name: string;
                            task_id: string;
                            trigger: null;
                            triggerer_job: null;
                            try_number: number;
                            unixname: string | null;
                            worker: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Mark a task instance success or failed (dry_run: answer what would change) */
        patch: {
            parameters: {
                query: {
                    map_index: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description Only answer what would change (default true, as Airflow).
                         * @default true
                         */
                        dry_run: boolean;
                        /** @description The state to set. */
                        new_state: "success" | "failed";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string;
                            dag_run_id: string;
                            /** Format: date-time */
                            execution_date: string;
                            map_index: number;
                            /** @description The state it has now (before the change, in a dry run). */
                            state: string | null;
                            task_id: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get the log of a try (text/plain, or JSON with a continuation token)
         * @description From the webserver's log folder when the try's file is there, else from the task-log stream the workers ship every line to. A 503 says that stream (NATS) cannot be read right now.
         */
        get: {
            parameters: {
                query: {
                    /** @description Updraft: with `tail_bytes`, the previous_token of a page read from the end: the page before it. */
                    before?: string;
                    /** @description The whole log at once (else at most one page from `token`). */
                    full_content: boolean;
                    map_index: number;
                    /** @description Updraft: read from the end instead: at most this many bytes ending at the log's end (or at `before`), from the start of a line. A log that is not in the webserver's log folder is read whole from its start instead. Not with `token` or `full_content`. */
                    tail_bytes?: number;
                    /** @description The continuation_token of the previous page. */
                    token?: string;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                    /** @description The try number (1 for the first try). */
                    task_try_number: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: string;
                            continuation_token: string | null;
                            first_line?: number | null;
                            previous_token?: string | null;
                        };
                        "text/plain": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set the note of a task instance */
        patch: {
            parameters: {
                query: {
                    map_index: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        note: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string;
                            dag_run_id: string;
                            duration: number | null;
                            end_date: string | null;
                            end_reason: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            executor: string | null;
                            executor_config: string | null;
                            exit_code: number | null;
                            hostname: string | null;
                            last_requeue_reason: string | null;
                            map_index: number;
                            max_tries: number;
                            note: string | null;
                            operator: string | null;
                            pending_reason: string | null;
                            pid: number | null;
                            pool: string;
                            pool_slots: number;
                            priority_weight: number | null;
                            queue: string | null;
                            queued_when: string | null;
                            /** @description Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed. */
                            rendered_fields: {
                                [key: string]: unknown;
                            };
                            rendered_map_index: string | null;
                            /** @description Updraft: how often this try's queued message was lost and published again (same try, new attempt token). */
                            requeue_count: number;
                            sla_miss: null;
                            start_date: string | null;
                            state: string | null;
                            task_display_name: string;
                            task_id: string;
                            trigger: null;
                            triggerer_job: null;
                            try_number: number;
                            unixname: string | null;
                            worker: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tries of a task instance */
        get: {
            parameters: {
                query: {
                    map_index: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            task_instances: {
                                dag_id: string;
                                dag_run_id: string;
                                duration: number | null;
                                end_date: string | null;
                                end_reason: string | null;
                                /** Format: date-time */
                                execution_date: string;
                                executor: string | null;
                                executor_config: string | null;
                                exit_code: number | null;
                                hostname: string | null;
                                last_requeue_reason: string | null;
                                map_index: number;
                                max_tries: number;
                                note: string | null;
                                operator: string | null;
                                pending_reason: string | null;
                                pid: number | null;
                                pool: string;
                                pool_slots: number;
                                priority_weight: number | null;
                                queue: string | null;
                                queued_when: string | null;
                                /** @description Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed. */
                                rendered_fields: {
                                    [key: string]: unknown;
                                };
                                rendered_map_index: string | null;
                                /** @description Updraft: how often this try's queued message was lost and published again (same try, new attempt token). */
                                requeue_count: number;
                                sla_miss: null;
                                start_date: string | null;
                                state: string | null;
                                task_display_name: string;
                                task_id: string;
                                trigger: null;
                                triggerer_job: null;
                                try_number: number;
                                unixname: string | null;
                                worker: string | null;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries/{task_try_number}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one try of a task instance */
        get: {
            parameters: {
                query: {
                    map_index: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                    /** @description The try number (1 for the first try). */
                    task_try_number: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string;
                            dag_run_id: string;
                            duration: number | null;
                            end_date: string | null;
                            end_reason: string | null;
                            /** Format: date-time */
                            execution_date: string;
                            executor: string | null;
                            executor_config: string | null;
                            exit_code: number | null;
                            hostname: string | null;
                            last_requeue_reason: string | null;
                            map_index: number;
                            max_tries: number;
                            note: string | null;
                            operator: string | null;
                            pending_reason: string | null;
                            pid: number | null;
                            pool: string;
                            pool_slots: number;
                            priority_weight: number | null;
                            queue: string | null;
                            queued_when: string | null;
                            /** @description Of a try: its templated fields as rendered for it (`bash_command`, `env`; long values cut, secrets `***`; of a trigger task, the run it triggered: `trigger_dag_id`, `trigger_run_id`, `logical_date`, `conf`). Empty on a task instance and before a try is claimed. */
                            rendered_fields: {
                                [key: string]: unknown;
                            };
                            rendered_map_index: string | null;
                            /** @description Updraft: how often this try's queued message was lost and published again (same try, new attempt token). */
                            requeue_count: number;
                            sla_miss: null;
                            start_date: string | null;
                            state: string | null;
                            task_display_name: string;
                            task_id: string;
                            trigger: null;
                            triggerer_job: null;
                            try_number: number;
                            unixname: string | null;
                            worker: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the XCom entries of a task instance (`~` as dag_id, dag_run_id or task_id: of every DAG, run or task) */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description The map index (-1: not mapped). */
                    map_index?: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description Only this key. */
                    xcom_key?: string;
                };
                header?: never;
                path: {
                    /** @description The DAG id, or `~` for every DAG. */
                    dag_id: string;
                    /** @description The run id, or `~` for every run. */
                    dag_run_id: string;
                    /** @description The task id, or `~` for every task. */
                    task_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total_entries: number;
                            xcom_entries: {
                                dag_id: string;
                                /** Format: date-time */
                                execution_date: string;
                                key: string;
                                map_index: number;
                                task_id: string;
                                /** Format: date-time */
                                timestamp: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/xcomEntries/{xcom_key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an XCom entry */
        get: {
            parameters: {
                query: {
                    /** @description true: `value` is the stored JSON value; false: its JSON text. */
                    deserialize: boolean;
                    /** @description The map index (-1: not mapped). */
                    map_index: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                    /** @description The task id. */
                    task_id: string;
                    /** @description The XCom key. */
                    xcom_key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string;
                            /** Format: date-time */
                            execution_date: string;
                            key: string;
                            map_index: number;
                            task_id: string;
                            /** Format: date-time */
                            timestamp: string;
                            /** @description The value: JSON text, or the JSON value with deserialize=true. */
                            value: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/upstreamAssetEvents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The asset events that triggered an asset-triggered run */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            asset_events: {
                                asset_id: number;
                                /** @description The runs it triggered. */
                                created_dagruns: {
                                    dag_id: string;
                                    dag_run_id: string;
                                }[];
                                extra: {
                                    [key: string]: unknown;
                                };
                                id: number;
                                /** @description The asset aliases its producer added it through, by name; [] for a declared outlet's event or one posted through the API. */
                                source_aliases: string[];
                                source_dag_id: string | null;
                                source_map_index: number | null;
                                source_run_id: string | null;
                                source_task_id: string | null;
                                /** Format: date-time */
                                timestamp: string;
                                uri: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagVersions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the stored versions of a DAG, newest first */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_versions: {
                                /**
                                 * Format: date-time
                                 * @description When the DAG processor stored this version (parsed the file).
                                 */
                                created_at: string;
                                /** @description Hash of the serialized DAG: what a run was created with. */
                                dag_hash: string;
                                dag_id: string;
                                /** @description Token for GET /api/v1/dagSources/{file_token}: the file as this version was parsed from it. */
                                file_token: string;
                                fileloc: string;
                                /** @description Whether new runs use this version. */
                                is_current: boolean;
                                /** @description 1 for the oldest version kept, counting up. */
                                version_number: number;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/dagVersions/{dag_hash}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one version of a DAG */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The version's hash (a run's `dag_version.dag_hash`). */
                    dag_hash: string;
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: date-time
                             * @description When the DAG processor stored this version (parsed the file).
                             */
                            created_at: string;
                            /** @description Hash of the serialized DAG: what a run was created with. */
                            dag_hash: string;
                            dag_id: string;
                            /** @description Token for GET /api/v1/dagSources/{file_token}: the file as this version was parsed from it. */
                            file_token: string;
                            fileloc: string;
                            /** @description Whether new runs use this version. */
                            is_current: boolean;
                            /** @description 1 for the oldest version kept, counting up. */
                            version_number: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/details": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a DAG with its details */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            catchup: boolean;
                            concurrency: number;
                            dag_display_name: string;
                            dag_id: string;
                            dag_run_timeout: {
                                /** @enum {string} */
                                __type: "TimeDelta";
                                days: number;
                                microseconds: number;
                                seconds: number;
                            } | null;
                            default_view: string;
                            description: string | null;
                            doc_md: string | null;
                            end_date: string | null;
                            fail_fast: boolean;
                            file_token: string | null;
                            fileloc: string;
                            has_import_errors: boolean;
                            has_task_concurrency_limits: boolean;
                            is_active: boolean;
                            is_paused: boolean;
                            is_paused_upon_creation: boolean | null;
                            is_subdag: boolean;
                            last_parsed: string | null;
                            last_parsed_time: string | null;
                            max_active_runs: number;
                            max_active_tasks: number;
                            max_consecutive_failed_dag_runs: number;
                            next_dagrun: string | null;
                            next_dagrun_create_after: string | null;
                            next_dagrun_data_interval_end: string | null;
                            next_dagrun_data_interval_start: string | null;
                            next_run_aliases: {
                                name: string;
                                updated: boolean;
                            }[] | null;
                            next_run_assets: {
                                updated: boolean;
                                uri: string;
                            }[] | null;
                            owners: string[];
                            /** @description What each param may hold (the DAG's paramSpecs): a manual run whose params break one is refused with 400. */
                            param_specs: {
                                [key: string]: {
                                    const?: string | number | boolean | null;
                                    description?: string;
                                    enum?: (string | number | boolean | null)[];
                                    exclusiveMaximum?: number;
                                    exclusiveMinimum?: number;
                                    format?: "date" | "date-time" | "time" | "email" | "multiline";
                                    /** @description What each item of a list must be */
                                    items?: {
                                        const?: string | number | boolean | null;
                                        enum?: (string | number | boolean | null)[];
                                        exclusiveMaximum?: number;
                                        exclusiveMinimum?: number;
                                        format?: "date" | "date-time" | "time" | "email" | "multiline";
                                        maximum?: number;
                                        maxLength?: number;
                                        minimum?: number;
                                        minLength?: number;
                                        multipleOf?: number;
                                        /** @description A regular expression (JavaScript syntax) a string must match */
                                        pattern?: string;
                                        /** @description A JSON type, or the list of those allowed (['null', 'string']: an optional param) */
                                        type?: ("string" | "number" | "integer" | "boolean" | "object" | "array" | "null") | ("string" | "number" | "integer" | "boolean" | "object" | "array" | "null")[];
                                    };
                                    maximum?: number;
                                    maxItems?: number;
                                    maxLength?: number;
                                    minimum?: number;
                                    minItems?: number;
                                    minLength?: number;
                                    multipleOf?: number;
                                    /** @description A regular expression (JavaScript syntax) a string must match */
                                    pattern?: string;
                                    /** @description The form shows params of one section together, under that heading */
                                    section?: string;
                                    /** @description The field's label in the trigger form */
                                    title?: string;
                                    /** @description A JSON type, or the list of those allowed (['null', 'string']: an optional param) */
                                    type?: ("string" | "number" | "integer" | "boolean" | "object" | "array" | "null") | ("string" | "number" | "integer" | "boolean" | "object" | "array" | "null")[];
                                    /** @description A list may not hold the same item twice */
                                    uniqueItems?: boolean;
                                    /** @description Labels of the enum's values, by the value as text */
                                    valuesDisplay?: {
                                        [key: string]: string;
                                    };
                                };
                            };
                            params: {
                                [key: string]: unknown;
                            };
                            render_template_as_native_obj: boolean;
                            root_dag_id: null;
                            schedule_interval: ({
                                /** @enum {string} */
                                __type: "CronExpression";
                                value: string;
                            } | {
                                /** @enum {string} */
                                __type: "TimeDelta";
                                days: number;
                                microseconds: number;
                                seconds: number;
                            }) | null;
                            start_date: string | null;
                            tags: {
                                name: string;
                            }[];
                            template_search_path: string[] | null;
                            timetable_description: string | null;
                            timezone: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/favorite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark a DAG as a favourite of the caller
         * @description Idempotent: marking a favourite twice, or unmarking a DAG that is not one, changes nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tasks of a DAG */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            tasks: {
                                class_ref: {
                                    class_name: string;
                                    module_path: string;
                                };
                                depends_on_past: boolean;
                                doc_md: string | null;
                                downstream_task_ids: string[];
                                end_date: string | null;
                                execution_timeout: {
                                    /** @enum {string} */
                                    __type: "TimeDelta";
                                    days: number;
                                    microseconds: number;
                                    seconds: number;
                                } | null;
                                extra_links: {
                                    class_ref: {
                                        class_name: string;
                                        module_path: string;
                                    };
                                }[];
                                is_mapped: boolean;
                                /** @description A setup task (task.asSetup()): cleared with the work tasks after it. */
                                is_setup: boolean;
                                /** @description A teardown task (task.asTeardown()): runs after its work whatever its outcome, if one of its setups succeeded. */
                                is_teardown: boolean;
                                owner: string;
                                pool: string;
                                pool_slots: number;
                                priority_weight: number;
                                queue: string;
                                retries: number;
                                retry_delay: {
                                    /** @enum {string} */
                                    __type: "TimeDelta";
                                    days: number;
                                    microseconds: number;
                                    seconds: number;
                                } | null;
                                retry_exponential_backoff: boolean;
                                start_date: string | null;
                                sub_dag: null;
                                task_display_name: string;
                                task_id: string;
                                template_fields: string[];
                                trigger_rule: string;
                                ui_color: string;
                                ui_fgcolor: string;
                                wait_for_downstream: boolean;
                                weight_rule: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/{dag_id}/unfavorite": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Unmark a DAG as a favourite of the caller
         * @description Idempotent: marking a favourite twice, or unmarking a DAG that is not one, changes nothing.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Done (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dags/~/dagRuns/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** List DAG runs of many DAGs (filters in the body) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        dag_ids?: string[];
                        /** Format: date-time */
                        end_date_gte?: string;
                        /** Format: date-time */
                        end_date_lte?: string;
                        /** Format: date-time */
                        execution_date_gte?: string;
                        /** Format: date-time */
                        execution_date_lte?: string;
                        /** @description One of id, dag_id, dag_run_id, state, run_type, execution_date, logical_date, start_date, end_date, queued_at, data_interval_start, data_interval_end; prefix `-` for descending. */
                        order_by?: string;
                        /**
                         * @description Page size (at most 1000).
                         * @default 100
                         */
                        page_limit?: number;
                        /**
                         * @description Rows to skip.
                         * @default 0
                         */
                        page_offset?: number;
                        /** Format: date-time */
                        start_date_gte?: string;
                        /** Format: date-time */
                        start_date_lte?: string;
                        states?: ("queued" | "running" | "success" | "failed")[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_runs: {
                                bundle_commit: string | null;
                                bundle_version: string | null;
                                conf: {
                                    [key: string]: unknown;
                                };
                                dag_id: string;
                                dag_run_id: string;
                                dag_version: {
                                    /**
                                     * Format: date-time
                                     * @description When this version was parsed.
                                     */
                                    created_at: string;
                                    dag_hash: string;
                                    /** @description Token for GET /api/v1/dagSources/{file_token}: the file this run's version was parsed from. */
                                    file_token: string;
                                    fileloc: string;
                                } | null;
                                data_interval_end: string | null;
                                data_interval_start: string | null;
                                deadline_missed_at: string | null;
                                end_date: string | null;
                                /** Format: date-time */
                                execution_date: string;
                                external_trigger: boolean;
                                last_scheduling_decision: string | null;
                                /** Format: date-time */
                                logical_date: string;
                                note: string | null;
                                queued_at: string | null;
                                run_type: string;
                                start_date: string | null;
                                state: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dagSources/{file_token}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the source of a DAG file (JSON, or text/plain when asked for) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description A DAG's file_token (GET /api/v1/dags/{dag_id}). */
                    file_token: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            content: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/eventLogs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List event log entries */
        get: {
            parameters: {
                query: {
                    /** @description Only events at or after this instant. */
                    after?: string;
                    /** @description Only events at or before this instant. */
                    before?: string;
                    /** @description Only events of this DAG. */
                    dag_id?: string;
                    /** @description Only this event. */
                    event?: string;
                    /** @description Comma-separated events to leave out. */
                    excluded_events?: string;
                    /** @description Comma-separated events to keep. */
                    included_events?: string;
                    /** @description Page size (at most 1000). */
                    limit: number;
                    map_index?: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description `event_log_id` or `when` (the same order); prefix `-` for newest first. */
                    order_by?: string;
                    /** @description Only events by this user. */
                    owner?: string;
                    /** @description Only events of this run. */
                    run_id?: string;
                    /** @description Only events of this task. */
                    task_id?: string;
                    try_number?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            event_logs: {
                                dag_id: string | null;
                                event: string;
                                event_log_id: number;
                                execution_date: null;
                                extra: string | null;
                                map_index: number | null;
                                owner: string | null;
                                remote_addr: string | null;
                                run_id: string | null;
                                task_id: string | null;
                                try_number: number | null;
                                /** Format: date-time */
                                when: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/eventLogs/{event_log_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an event log entry */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The event log id. */
                    event_log_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string | null;
                            event: string;
                            event_log_id: number;
                            execution_date: null;
                            extra: string | null;
                            map_index: number | null;
                            owner: string | null;
                            remote_addr: string | null;
                            run_id: string | null;
                            task_id: string | null;
                            try_number: number | null;
                            /** Format: date-time */
                            when: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the webserver, its metadata database and the scheduler */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            metadatabase: {
                                status: "healthy" | "unhealthy";
                            };
                            scheduler: {
                                latest_scheduler_heartbeat: string | null;
                                status: "healthy" | "unhealthy";
                            };
                            status: "healthy" | "unhealthy";
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            metadatabase: {
                                status: "healthy" | "unhealthy";
                            };
                            scheduler: {
                                latest_scheduler_heartbeat: string | null;
                                status: "healthy" | "unhealthy";
                            };
                            status: "healthy" | "unhealthy";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/importErrors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List DAG file import errors */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                    /** @description One of import_error_id, timestamp, filename; prefix `-` for descending. */
                    order_by?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            import_errors: {
                                /** @description The DAG file, relative to the DAGs folder. */
                                filename: string;
                                import_error_id: number;
                                /** @description syntax, import, timeout, cycle, ... (Updraft's classification). */
                                kind: string;
                                /** @description What went wrong loading it. */
                                stack_trace: string;
                                /** Format: date-time */
                                timestamp: string;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/importErrors/{import_error_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an import error */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The import error id. */
                    import_error_id: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The DAG file, relative to the DAGs folder. */
                            filename: string;
                            import_error_id: number;
                            /** @description syntax, import, timeout, cycle, ... (Updraft's classification). */
                            kind: string;
                            /** @description What went wrong loading it. */
                            stack_trace: string;
                            /** Format: date-time */
                            timestamp: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List pools with their slots in use */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            pools: {
                                deferred_slots: number;
                                description: string | null;
                                /** @description Whether deferred task instances take slots (never, in Updraft). */
                                include_deferred: boolean;
                                name: string;
                                /** @description Slots of its queued and running task instances. */
                                occupied_slots: number;
                                /** @description slots - occupied_slots (never below 0); -1 for an unlimited pool. */
                                open_slots: number;
                                queued_slots: number;
                                running_slots: number;
                                scheduled_slots: number;
                                /** @description -1: unlimited. */
                                slots: number;
                            }[];
                            total_entries: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a pool */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        /**
                         * @description Deferred task instances never take slots.
                         * @enum {boolean}
                         */
                        include_deferred?: false;
                        /** @description The pool name. */
                        name: string;
                        /** @description How many slots (-1: unlimited). */
                        slots: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deferred_slots: number;
                            description: string | null;
                            /** @description Whether deferred task instances take slots (never, in Updraft). */
                            include_deferred: boolean;
                            name: string;
                            /** @description Slots of its queued and running task instances. */
                            occupied_slots: number;
                            /** @description slots - occupied_slots (never below 0); -1 for an unlimited pool. */
                            open_slots: number;
                            queued_slots: number;
                            running_slots: number;
                            scheduled_slots: number;
                            /** @description -1: unlimited. */
                            slots: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/pools/{pool_name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a pool */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The pool name. */
                    pool_name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deferred_slots: number;
                            description: string | null;
                            /** @description Whether deferred task instances take slots (never, in Updraft). */
                            include_deferred: boolean;
                            name: string;
                            /** @description Slots of its queued and running task instances. */
                            occupied_slots: number;
                            /** @description slots - occupied_slots (never below 0); -1 for an unlimited pool. */
                            open_slots: number;
                            queued_slots: number;
                            running_slots: number;
                            scheduled_slots: number;
                            /** @description -1: unlimited. */
                            slots: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a pool (not default_pool) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The pool name. */
                    pool_name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a pool's slots or description (update_mask: which fields) */
        patch: {
            parameters: {
                query?: {
                    /** @description The fields to change (default: those the body has). */
                    update_mask?: ("slots" | "description" | "name" | "include_deferred")[];
                };
                header?: never;
                path: {
                    /** @description The pool name. */
                    pool_name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        /** @enum {boolean} */
                        include_deferred?: false;
                        /** @description The pool name (must be the one in the path: pools are not renamed). */
                        name?: string;
                        /** @description How many slots (-1: unlimited). */
                        slots?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deferred_slots: number;
                            description: string | null;
                            /** @description Whether deferred task instances take slots (never, in Updraft). */
                            include_deferred: boolean;
                            name: string;
                            /** @description Slots of its queued and running task instances. */
                            occupied_slots: number;
                            /** @description slots - occupied_slots (never below 0); -1 for an unlimited pool. */
                            open_slots: number;
                            queued_slots: number;
                            running_slots: number;
                            scheduled_slots: number;
                            /** @description -1: unlimited. */
                            slots: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total_entries: number;
                            users: {
                                /** @description An inactive user cannot log in; its sessions have ended and its API tokens are refused. */
                                active: boolean;
                                /** Format: date-time */
                                created_on: string;
                                email: string | null;
                                first_name: string;
                                last_login: string | null;
                                last_name: string;
                                roles: {
                                    name: "Admin" | "Op" | "User" | "Viewer";
                                }[];
                                username: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a user (the password is write-only) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        active?: boolean;
                        email?: string | null;
                        /** @description First name. */
                        first_name?: string;
                        /** @description Last name. */
                        last_name?: string;
                        /** @description Write-only: stored as an argon2id hash, never answered. */
                        password: string;
                        /** @description The user's role, as Airflow's list of one: `[{"name": "Op"}]`. */
                        roles: {
                            name: "Admin" | "Op" | "User" | "Viewer";
                        }[];
                        /** @description The login name (no whitespace or ':'). */
                        username: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description An inactive user cannot log in; its sessions have ended and its API tokens are refused. */
                            active: boolean;
                            /** Format: date-time */
                            created_on: string;
                            email: string | null;
                            first_name: string;
                            last_login: string | null;
                            last_name: string;
                            roles: {
                                name: "Admin" | "Op" | "User" | "Viewer";
                            }[];
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{username}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The login name (no whitespace or ':'). */
                    username: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description An inactive user cannot log in; its sessions have ended and its API tokens are refused. */
                            active: boolean;
                            /** Format: date-time */
                            created_on: string;
                            email: string | null;
                            first_name: string;
                            last_login: string | null;
                            last_name: string;
                            roles: {
                                name: "Admin" | "Op" | "User" | "Viewer";
                            }[];
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a user (its sessions and API tokens go with it) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The login name (no whitespace or ':'). */
                    username: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a user (update_mask: which fields); a new password or deactivation ends its sessions */
        patch: {
            parameters: {
                query?: {
                    /** @description The fields to change (default: those in the body). */
                    update_mask?: ("password" | "roles" | "email" | "first_name" | "last_name" | "active")[];
                };
                header?: never;
                path: {
                    /** @description The login name (no whitespace or ':'). */
                    username: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        active?: boolean;
                        email?: string | null;
                        /** @description First name. */
                        first_name?: string;
                        /** @description Last name. */
                        last_name?: string;
                        /** @description Write-only: stored as an argon2id hash, never answered. */
                        password?: string;
                        /** @description The user's role, as Airflow's list of one: `[{"name": "Op"}]`. */
                        roles?: {
                            name: "Admin" | "Op" | "User" | "Viewer";
                        }[];
                        /** @description The login name (no whitespace or ':'). */
                        username?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description An inactive user cannot log in; its sessions have ended and its API tokens are refused. */
                            active: boolean;
                            /** Format: date-time */
                            created_on: string;
                            email: string | null;
                            first_name: string;
                            last_login: string | null;
                            last_name: string;
                            roles: {
                                name: "Admin" | "Op" | "User" | "Viewer";
                            }[];
                            username: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/variables": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List variables (values of secret-looking keys masked) */
        get: {
            parameters: {
                query: {
                    /** @description Page size (at most 1000). */
                    limit: number;
                    /** @description Rows to skip. */
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total_entries: number;
                            variables: {
                                description: string | null;
                                key: string;
                                /**
                                 * @description Present when the webserver's environment defines the variable (UPDRAFT_VAR_<KEY>): it cannot be changed or deleted through the API.
                                 * @enum {boolean}
                                 */
                                read_only?: true;
                                /** @description `***` when the key looks secret (security.sensitive_var_conn_names). */
                                value: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create or replace a variable */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        /** @description The variable key. */
                        key: string;
                        /** @description The value (text). */
                        value: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            description: string | null;
                            key: string;
                            /**
                             * @description Present when the webserver's environment defines the variable (UPDRAFT_VAR_<KEY>): it cannot be changed or deleted through the API.
                             * @enum {boolean}
                             */
                            read_only?: true;
                            /** @description `***` when the key looks secret (security.sensitive_var_conn_names). */
                            value: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/variables/{variable_key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a variable (masked when its key looks secret) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The variable key. */
                    variable_key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            description: string | null;
                            key: string;
                            /**
                             * @description Present when the webserver's environment defines the variable (UPDRAFT_VAR_<KEY>): it cannot be changed or deleted through the API.
                             * @enum {boolean}
                             */
                            read_only?: true;
                            /** @description `***` when the key looks secret (security.sensitive_var_conn_names). */
                            value: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a variable */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The variable key. */
                    variable_key: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted (no body). */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a variable (update_mask: which fields) */
        patch: {
            parameters: {
                query?: {
                    /** @description The fields to change (default: value and description). */
                    update_mask?: ("value" | "description")[];
                };
                header?: never;
                path: {
                    /** @description The variable key. */
                    variable_key: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        description?: string | null;
                        /** @description The variable key. */
                        key: string;
                        /** @description The value (text). */
                        value: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            description: string | null;
                            key: string;
                            /**
                             * @description Present when the webserver's environment defines the variable (UPDRAFT_VAR_<KEY>): it cannot be changed or deleted through the API.
                             * @enum {boolean}
                             */
                            read_only?: true;
                            /** @description `***` when the key looks secret (security.sensitive_var_conn_names). */
                            value: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Updraft version */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            git_version: string | null;
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the webserver, its metadata database and the scheduler */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            metadatabase: {
                                status: "healthy" | "unhealthy";
                            };
                            scheduler: {
                                latest_scheduler_heartbeat: string | null;
                                status: "healthy" | "unhealthy";
                            };
                            status: "healthy" | "unhealthy";
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            metadatabase: {
                                status: "healthy" | "unhealthy";
                            };
                            scheduler: {
                                latest_scheduler_heartbeat: string | null;
                                status: "healthy" | "unhealthy";
                            };
                            status: "healthy" | "unhealthy";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/slack/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Slack interactivity: a click on an alert's Retry button (signed by Slack with alerts.slack_signing_secret) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ok: boolean;
                            text: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/appearance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The instance's name and header colour, for every page and the login page */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            instance_name: string | null;
                            navbar_color: string | null;
                            /** @description navbar_color is dark: text on it is white (else black). */
                            navbar_dark: boolean;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/dags/{dag_id}/calendar": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A DAG's calendar: a year of runs by day and state, and the days still planned */
        get: {
            parameters: {
                query?: {
                    /** @description The year (default: this year in the DAG's time zone). */
                    year?: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_id: string;
                            /** @description Days with runs, in order. */
                            days: {
                                /** @description YYYY-MM-DD. */
                                date: string;
                                /** @description Runs with a logical date that day, by state. */
                                states: {
                                    [key: string]: number;
                                };
                            }[];
                            /** @description Days (YYYY-MM-DD) the schedule still has runs on, from the next run on. */
                            planned: string[];
                            /** @description The DAG's time zone: days are its days. */
                            timezone: string;
                            year: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/dags/{dag_id}/dagRuns/{dag_run_id}/gantt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A run's Gantt: every try of its task instances, queued, started and ended */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                    /** @description The DAG run id. */
                    dag_run_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description By task id, map index and try number. */
                            tries: {
                                end_date: string | null;
                                map_index: number;
                                queued_at: string | null;
                                start_date: string | null;
                                state: string | null;
                                task_id: string;
                                try_number: number;
                                worker: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/dags/{dag_id}/grid": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A DAG's grid: its newest runs and their task instances */
        get: {
            parameters: {
                query: {
                    /** @description Only runs with a logical date before this instant (the previous page). */
                    before?: string;
                    /** @description Runs (at most 100), newest first. */
                    limit: number;
                };
                header?: never;
                path: {
                    /** @description The DAG id. */
                    dag_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Newest first. */
                            dag_runs: {
                                dag_id: string;
                                dag_run_id: string;
                                data_interval_end: string | null;
                                data_interval_start: string | null;
                                duration: number | null;
                                end_date: string | null;
                                /** Format: date-time */
                                logical_date: string;
                                queued_at: string | null;
                                run_type: string;
                                start_date: string | null;
                                state: string;
                            }[];
                            task_instances: {
                                dag_run_id: string;
                                duration: number | null;
                                hostname: string | null;
                                map_index: number;
                                max_tries: number;
                                state: string | null;
                                task_id: string;
                                try_number: number;
                                worker: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/dags/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** For each of some DAGs: its newest runs, time zone and active runs (the DAG list) */
        get: {
            parameters: {
                query: {
                    /** @description The DAGs (at most 100). */
                    dag_ids: string[];
                    /** @description Runs per DAG (at most 50). */
                    limit: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dags: {
                                dag_id: string;
                                /** @description The newest runs, newest first. */
                                dag_runs: {
                                    dag_id: string;
                                    dag_run_id: string;
                                    data_interval_end: string | null;
                                    data_interval_start: string | null;
                                    duration: number | null;
                                    end_date: string | null;
                                    /** Format: date-time */
                                    logical_date: string;
                                    queued_at: string | null;
                                    run_type: string;
                                    start_date: string | null;
                                    state: string;
                                }[];
                                queued_runs: number;
                                running_runs: number;
                                /** @description The time zone of the DAG's schedule. */
                                timezone: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/dashboard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The home page's figures: DAGs by status, and the recent runs and task instances by state */
        get: {
            parameters: {
                query: {
                    /** @description The window: runs created in the last this many hours (default 24), besides those still queued or running. */
                    hours: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            dag_runs: {
                                /** @description The runs by state. */
                                states: {
                                    [key: string]: number;
                                };
                                /** @description The runs by type: scheduled, manual, backfill, asset_triggered. */
                                types: {
                                    [key: string]: number;
                                };
                            };
                            dags: {
                                /** @description DAGs not paused (their file present). */
                                active: number;
                                /** @description Active DAGs whose latest run failed. */
                                failing: number;
                                /** @description DAG files that failed to import. */
                                import_errors: number;
                                paused: number;
                                /** @description DAGs whose latest run is running. */
                                running: number;
                            };
                            /**
                             * Format: date-time
                             * @description The start of the window.
                             */
                            since: string;
                            task_instances: {
                                /** @description The task instances of those runs by state (none: not ready yet). */
                                states: {
                                    [key: string]: number;
                                };
                            };
                            workers: {
                                /** @description Workers finishing their tasks before they stop (they take no new ones). */
                                draining: number;
                                /** @description Workers taking tasks. */
                                online: number;
                                /** @description Tasks the live workers run, as their last heartbeats said. */
                                running: number;
                                /** @description Task slots of the online workers. */
                                slots: number;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/dependencies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How DAGs depend on each other: trigger tasks, sensors on other DAGs, assets */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            edges: {
                                /** @description trigger: a task of the source starts runs of the target; sensor: a sensor of the target waits for the source; outlet: a task of the source updates the asset; schedule: the target is scheduled on the asset; alias_outlet: a task of the source adds asset events through the alias; alias_schedule: the target is scheduled on the alias; resolves: the alias resolved to the asset (an event was added through it). */
                                kind: "trigger" | "sensor" | "outlet" | "schedule" | "alias_outlet" | "alias_schedule" | "resolves";
                                /** @description A node id. */
                                source: string;
                                /** @description A node id. */
                                target: string;
                                task_id: string | null;
                            }[];
                            /** @description DAGs, assets and asset aliases with at least one edge, DAGs first, then assets, then aliases, by id. */
                            nodes: {
                                /** @description False for a DAG an edge names that is not in the database (e.g. a trigger of a DAG that is gone). */
                                exists: boolean;
                                /** @description `dag:<dag id>`, `asset:<uri>` or `alias:<asset alias name>`. */
                                id: string;
                                /** @description A DAG whose file is still in the DAGs folder (assets: true). */
                                is_active: boolean;
                                is_paused: boolean;
                                kind: "dag" | "asset" | "alias";
                                /** @description The DAG id, the asset URI or the asset alias name. */
                                label: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-sent events: what changed (task instances, tries, runs, DAGs), for live pages */
        get: {
            parameters: {
                query?: {
                    /** @description Only changes of this DAG. */
                    dag_id?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            detail: string;
                            /** @description The parameter or body field at fault, e.g. `query.limit`, `body.conf`, `path.dag_id`. */
                            field?: string;
                            instance?: string;
                            status: number;
                            title: string;
                            /** @description A URI naming the kind of problem (`about:blank` for plain HTTP statuses). */
                            type: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/links": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the UI links to outside itself (the worker monitor) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            monitor_url: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
